/**
 * Stand-in for github/codeql-action/upload-sarif: records the SARIF it was handed
 * instead of uploading it, after the checks the upload would fail on: the file (or
 * folder of .sarif files) exists and is SARIF 2.1.0 JSON, checkout_path is a folder,
 * the category is a plain string. A result whose artifact location is an absolute path
 * outside checkout_path (trivy's image scans name files inside the image, e.g.
 * `/app/settings.ini`) is uploaded like any other; codeql-action only skips it when it computes
 * line fingerprints: such locations are listed in `outsideCheckout`.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import {
  booleanInput,
  expectKnownInputs,
  StandInInputError,
  type StandIn,
  type StandInCall,
} from '../stand-in.ts';

const INPUTS = [
  'sarif_file',
  'checkout_path',
  'ref',
  'sha',
  'token',
  'matrix',
  'category',
  'wait-for-processing',
] as const;

interface SarifLog {
  version?: string;
  runs?: { results?: { locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[] }[] }[];
}

export interface SarifUpload {
  files: string[];
  sarif: SarifLog[];
  checkoutPath: string;
  category: string;
  /** Absolute result locations outside checkout_path (not fingerprinted by codeql-action). */
  outsideCheckout: string[];
}

export function uploadSarifStandIn(): { standIn: StandIn; uploads: SarifUpload[] } {
  const uploads: SarifUpload[] = [];
  const standIn = (call: StandInCall) => {
    expectKnownInputs(call, INPUTS);
    const fail = (message: string) => new StandInInputError(call.uses, message);
    booleanInput(call, 'wait-for-processing', true);
    const given = call.with.sarif_file ?? '../results';
    const path = resolve(call.workspace, given);
    if (!existsSync(path)) throw fail(`Path does not exist: ${given}`);
    const files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.endsWith('.sarif'))
          .map((f) => join(path, f))
      : [path];
    if (files.length === 0) throw fail(`No SARIF files found to upload in "${given}".`);
    const checkoutPath = call.with.checkout_path ?? call.workspace;
    const outsideCheckout: string[] = [];
    const sarif = files.map((file) => {
      let log: SarifLog;
      try {
        log = JSON.parse(readFileSync(file, 'utf8')) as SarifLog;
      } catch (error) {
        throw fail(`${file} is not JSON: ${(error as Error).message}`);
      }
      if (log.version !== '2.1.0' || !Array.isArray(log.runs)) throw fail(`${file} is not SARIF 2.1.0`);
      for (const result of log.runs.flatMap((r) => r.results ?? [])) {
        for (const location of result.locations ?? []) {
          const uri = location.physicalLocation?.artifactLocation?.uri ?? '';
          if (uri === '') throw fail(`${file}: a result location has no uri`);
          if (isAbsolute(uri) && !uri.startsWith(`${resolve(call.workspace, checkoutPath)}/`))
            outsideCheckout.push(uri);
        }
      }
      return log;
    });
    if (!existsSync(checkoutPath) || !statSync(checkoutPath).isDirectory())
      throw fail(`checkout_path ${JSON.stringify(checkoutPath)} is not a folder`);
    const category = call.with.category ?? '';
    if (/[\n\r]/.test(category)) throw fail(`input 'category' must be one line`);
    uploads.push({ files, sarif, checkoutPath, category, outsideCheckout });
    return {
      outputs: { 'sarif-id': `local-${uploads.length}` },
      log: [`Uploaded ${files.length} SARIF file(s)`],
    };
  };
  return { standIn, uploads };
}
