/**
 * Schema checks for the SBOMs the real syft writes.
 * - CycloneDX: the validator of the CycloneDX project's own JavaScript library
 *   (@cyclonedx/cyclonedx-library, `Validation.JsonStrictValidator`), which runs ajv over the
 *   official bom-1.x JSON schemas the package ships in res/schema (with spdx and jsf schemas and
 *   the draft-2019 formats idn-email / iri-reference from ajv-formats-draft2019).
 * - SPDX 2.3: no npm package ships the SPDX 2.3 JSON schema. The syft Go module (which
 *   scripts/real-tools.js downloads to build syft) carries spdx-spec's schema as
 *   schema/spdx-json/spdx-schema-2.3.json; it is located with `go mod download -json` (from the
 *   module cache, no network once syft is built) and checked with ajv + ajv-formats.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { realToolSpecs } from '../../real-tools.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** null when valid, else the validator's error details. */
export async function cycloneDxSchemaErrors(text: string): Promise<unknown> {
  const specVersion = (JSON.parse(text) as { specVersion?: string }).specVersion;
  const version = Object.values(Spec.Version).find((v) => v === specVersion);
  if (!version) throw new Error(`no CycloneDX schema for specVersion ${String(specVersion)}`);
  return new Validation.JsonStrictValidator(version).validate(text);
}

let spdxValidator: ((doc: unknown) => ErrorObject[] | null) | undefined;

/** Where the SPDX 2.3 JSON schema comes from: the syft module's copy of spdx-spec's schema. */
export function spdx23SchemaPath(): string {
  const spec = realToolSpecs().syft as { module: string; version: string };
  const out = execFileSync('go', ['mod', 'download', '-json', `${spec.module}@${spec.version}`], {
    encoding: 'utf8',
    env: { ...process.env, GOWORK: 'off', GOFLAGS: '-mod=readonly' },
  });
  const { Dir } = JSON.parse(out) as { Dir?: string };
  if (!Dir) throw new Error(`go mod download found no directory for ${spec.module}@${spec.version}`);
  return join(Dir, 'schema', 'spdx-json', 'spdx-schema-2.3.json');
}

/** null when valid against the SPDX 2.3 JSON schema, else ajv's errors. */
export function spdx23SchemaErrors(doc: unknown): ErrorObject[] | null {
  if (!spdxValidator) {
    const schema = JSON.parse(readFileSync(spdx23SchemaPath(), 'utf8')) as { title?: string };
    if (schema.title !== 'SPDX 2.3') throw new Error(`${spdx23SchemaPath()} is not the SPDX 2.3 schema`);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    spdxValidator = (d) => (validate(d) ? null : (validate.errors ?? []));
  }
  return spdxValidator(doc);
}
