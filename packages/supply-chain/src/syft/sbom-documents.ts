/**
 * Typed readers for SPDX 2.3 JSON and CycloneDX JSON documents (as syft and
 * trivy write them), counting packages by type for the job summary. The type of
 * a package is its package URL's type (`pkg:<type>/...`), else syft's
 * `syft:package:type` property (CycloneDX only), else `unknown`: the purl type
 * first, so both formats of one scan give the same table (syft's own type names
 * differ, e.g. `go-module` where the purl says `golang`). The documents' own
 * subject (SPDX packages the document DESCRIBES, CycloneDX metadata.component)
 * is not counted. A CycloneDX component counts as a package only when it has a
 * package URL or syft's package type: the real syft also lists the distro (an
 * `operating-system` component) and every file it read its packages from
 * (`file` components: /lib/apk/db/installed, each package.json, go.mod), and
 * trivy a lock file as an `application` component; none of them is a package,
 * and counting them made the CycloneDX count disagree with the SPDX one.
 */
import { UserError } from '@slipway/core';

export interface SpdxDocument {
  spdxVersion: string;
  SPDXID: string;
  documentDescribes?: string[];
  packages?: {
    SPDXID: string;
    name: string;
    externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
  }[];
  relationships?: { spdxElementId: string; relatedSpdxElement: string; relationshipType: string }[];
}

export interface CycloneDxDocument {
  bomFormat: 'CycloneDX';
  specVersion: string;
  metadata?: { component?: { 'bom-ref'?: string } };
  components?: {
    type: string;
    name: string;
    purl?: string;
    properties?: { name: string; value?: string }[];
  }[];
}

export type PackageCounts = Record<string, number>;

export interface SbomSummary {
  format: 'spdx-json' | 'cyclonedx-json';
  packages: number;
  byType: PackageCounts;
}

/** The type of a package URL, per the purl spec: the text between `pkg:` and the first `/`. */
export function purlType(purl: string | undefined): string | undefined {
  if (!purl?.startsWith('pkg:')) return undefined;
  const slash = purl.indexOf('/');
  const type = slash > 4 ? purl.slice(4, slash).toLowerCase() : '';
  return type === '' ? undefined : type;
}

function count(types: string[]): PackageCounts {
  const counts: PackageCounts = {};
  for (const t of types.sort()) counts[t] = (counts[t] ?? 0) + 1;
  return counts;
}

export function summariseSpdx(doc: SpdxDocument): SbomSummary {
  const described = new Set([
    ...(doc.documentDescribes ?? []),
    ...(doc.relationships ?? [])
      .filter((r) => r.spdxElementId === doc.SPDXID && r.relationshipType === 'DESCRIBES')
      .map((r) => r.relatedSpdxElement),
  ]);
  const types = (doc.packages ?? [])
    .filter((p) => !described.has(p.SPDXID))
    .map(
      (p) => purlType(p.externalRefs?.find((r) => r.referenceType === 'purl')?.referenceLocator) ?? 'unknown',
    );
  return { format: 'spdx-json', packages: types.length, byType: count(types) };
}

export function summariseCycloneDx(doc: CycloneDxDocument): SbomSummary {
  const types = (doc.components ?? []).flatMap((c) => {
    const type =
      purlType(c.purl) ??
      c.properties?.find((p) => p.name === 'syft:package:type')?.value ??
      (c.purl ? 'unknown' : undefined);
    return type === undefined ? [] : [type];
  });
  return { format: 'cyclonedx-json', packages: types.length, byType: count(types) };
}

/** Reads either format, checking the fields that identify it. `source` names the file in errors. */
export function summariseSbom(text: string, source: string): SbomSummary {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${source} is not JSON (${(error as Error).message}).`);
  }
  const d = doc as Partial<SpdxDocument & CycloneDxDocument> | null;
  if (d && typeof d.spdxVersion === 'string' && d.spdxVersion.startsWith('SPDX-')) {
    if (d.packages !== undefined && !Array.isArray(d.packages))
      throw new UserError(`${source}: "packages" must be an array.`);
    return summariseSpdx(d as SpdxDocument);
  }
  if (d && d.bomFormat === 'CycloneDX') {
    if (d.components !== undefined && !Array.isArray(d.components))
      throw new UserError(`${source}: "components" must be an array.`);
    return summariseCycloneDx(d as CycloneDxDocument);
  }
  throw new UserError(`${source} is neither an SPDX JSON nor a CycloneDX JSON document.`);
}
