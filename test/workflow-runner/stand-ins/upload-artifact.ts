/**
 * Stand-in for actions/upload-artifact: checks the name, path, retention and
 * if-no-files-found inputs as the real action does and records the files' bytes
 * instead of uploading them (a later job's download-artifact stand-in can read them).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { expectKnownInputs, StandInInputError, type StandIn, type StandInCall } from '../stand-in.ts';

const INPUTS = [
  'name',
  'path',
  'if-no-files-found',
  'retention-days',
  'compression-level',
  'overwrite',
  'include-hidden-files',
] as const;

export interface ArtifactRecord {
  name: string;
  /** Path inside the artifact (relative to the paths' common folder) -> bytes. */
  files: Record<string, Buffer>;
  retentionDays?: number;
}

function commonFolder(a: string, b: string): string {
  let folder = a;
  while (relative(folder, b).startsWith('..')) folder = dirname(folder);
  return folder;
}

export function uploadArtifactStandIn(): { standIn: StandIn; artifacts: ArtifactRecord[] } {
  const artifacts: ArtifactRecord[] = [];
  const standIn = (call: StandInCall) => {
    expectKnownInputs(call, INPUTS);
    const fail = (message: string) => new StandInInputError(call.uses, message);
    const name = call.with.name ?? 'artifact';
    if (name === '' || /["\\:<>|*?/\r\n]/.test(name))
      throw fail(`invalid artifact name ${JSON.stringify(name)}`);
    if (artifacts.some((a) => a.name === name))
      throw fail(`an artifact named ${name} was already uploaded in this run`);
    const mode = call.with['if-no-files-found'] ?? 'warn';
    if (!['warn', 'error', 'ignore'].includes(mode))
      throw fail(`invalid if-no-files-found ${JSON.stringify(mode)}`);
    const days = call.with['retention-days'];
    if (days !== undefined && !(/^[0-9]+$/.test(days) && Number(days) >= 1 && Number(days) <= 90))
      throw fail(`invalid retention-days ${days}`);
    const paths = (call.with.path ?? '')
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean);
    if (paths.length === 0) throw fail("input 'path' is required");
    if (paths.some((p) => /[*?[]/.test(p))) throw fail('not supported by the local runner: glob paths');
    const found = paths
      .map((p) => resolve(call.workspace, p))
      .filter((f) => existsSync(f) && statSync(f).isFile());
    // the real action roots the artifact at the least common ancestor folder of the paths
    const root = found.length === 0 ? '' : found.map(dirname).reduce(commonFolder);
    const files: Record<string, Buffer> = Object.fromEntries(
      found.map((f) => [relative(root, f), readFileSync(f)]),
    );
    if (Object.keys(files).length === 0 && mode === 'error')
      return {
        failed: `No files were found with the provided path: ${paths.join('\n')}. No artifacts will be uploaded.`,
      };
    artifacts.push({ name, files, ...(days !== undefined ? { retentionDays: Number(days) } : {}) });
    return { outputs: { 'artifact-id': String(artifacts.length) } };
  };
  return { standIn, artifacts };
}
