/**
 * One SBOM run: syft writes every requested format in a single catalogue pass,
 * then each document is read back and summarised (the optional artifact upload
 * is sbom-artifact.ts, after the files and outputs exist).
 */
import { readFile } from 'node:fs/promises';
import { markdownTable } from '@slipway/core';
import { codeSpan, inertText } from '../summary/scanned-text.ts';
import { UserError } from '@slipway/core';
import { tail, type ProgramRunner } from '../tools/run-program.ts';
import { summariseSbom, type SbomSummary } from './sbom-documents.ts';
import { platformFilePath } from '../registry/image-platforms.ts';
import type { ImageIndexTargets } from '../registry/platform-targets.ts';
import {
  SYFT_ENV,
  defaultFileName,
  syftScanArgv,
  syftSource,
  type SbomOutput,
  type SbomSource,
} from './syft-args.ts';

export interface SbomRun {
  syft: string;
  run: ProgramRunner;
  source: SbomSource;
  outputs: SbomOutput[];
  /**
   * An image index: one syft run per platform image (`<scheme><registry/repository@digest>`), its
   * files named with the platform (`sbom.linux-arm64.spdx.json`). Undefined: one run of `source`.
   */
  index?: { targets: ImageIndexTargets['targets']; scheme: string };
}

export interface SbomDocument extends SbomOutput {
  summary: SbomSummary;
  /** The platform image it describes, for an index. */
  platform?: string;
  digest?: string;
}

export interface SbomResult {
  documents: SbomDocument[];
}

export async function generateSbom(o: SbomRun): Promise<SbomResult> {
  if (!o.index) return { documents: await catalogue(o, o.source, o.outputs) };
  const documents: SbomDocument[] = [];
  for (const target of o.index.targets) {
    const outputs = o.outputs.map((output) => ({
      format: output.format,
      path: platformFilePath(output.path, target.slug, defaultFileName(output.format).slice('sbom'.length)),
    }));
    const source: SbomSource = { kind: 'image', ref: `${o.index.scheme}${target.ref}` };
    for (const d of await catalogue(o, source, outputs))
      documents.push({ ...d, platform: target.platform, digest: target.digest });
  }
  return { documents };
}

/** One syft run writing every format of `outputs`, each read back and summarised. */
async function catalogue(o: SbomRun, source: SbomSource, outputs: SbomOutput[]): Promise<SbomDocument[]> {
  const result = await o.run(o.syft, syftScanArgv(source, outputs), { env: SYFT_ENV });
  if (result.exitCode !== 0) {
    throw new UserError(
      `syft could not catalogue ${syftSource(source)} (exit ${result.exitCode}):\n${tail(result.stderr)}`,
      {
        hint:
          o.source.kind === 'image'
            ? 'Check the `image` input: an image reference the runner can pull (log in to a private registry first, e.g. with docker/login-action).'
            : 'Check the `path` input: a directory or file in the workspace that syft can read.',
      },
    );
  }
  const documents = [];
  for (const output of outputs) {
    documents.push({ ...output, summary: summariseSbom(await readFile(output.path, 'utf8'), output.path) });
  }
  return documents;
}

export function sbomSummaryMarkdown(
  source: string,
  result: SbomResult,
  displayPath: (p: string) => string = (p) => p,
): string {
  const lines = [`### SBOM: ${codeSpan(source)}`, ''];
  const perPlatform = result.documents.some((d) => d.platform !== undefined);
  if (perPlatform) lines.push('Image index: one SBOM per platform image.', '');
  lines.push(
    markdownTable(
      [...(perPlatform ? ['Platform', 'Digest'] : []), 'Format', 'File', 'Packages'],
      result.documents.map((d) => [
        ...(perPlatform ? [inertText(d.platform ?? '', 80), codeSpan(d.digest ?? '')] : []),
        d.format,
        inertText(displayPath(d.path)),
        String(d.summary.packages),
      ]),
    ),
  );
  const first = result.documents[0];
  if (first && first.summary.packages > 0) {
    lines.push('', `#### Packages by type (${first.format})`, '');
    const rows = Object.entries(first.summary.byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    lines.push(
      markdownTable(
        ['Type', 'Packages'],
        rows.map(([t, n]) => [inertText(t, 80), String(n)]),
      ),
    );
  }
  return lines.join('\n') + '\n';
}

/** The sbom action's `platforms` output: per platform image, its digest, SBOM files by format and package count. */
export function sbomPlatformsOutput(
  result: SbomResult,
): { platform: string; digest: string; files: Record<string, string>; packages: number }[] {
  const entries = new Map<
    string,
    { platform: string; digest: string; files: Record<string, string>; packages: number }
  >();
  for (const d of result.documents) {
    if (d.platform === undefined || d.digest === undefined) continue;
    const entry = entries.get(d.digest) ?? {
      platform: d.platform,
      digest: d.digest,
      files: {},
      packages: d.summary.packages,
    };
    entry.files[d.format] = d.path;
    entries.set(d.digest, entry);
  }
  return [...entries.values()];
}
