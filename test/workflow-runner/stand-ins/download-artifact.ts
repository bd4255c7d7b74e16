/**
 * Stand-in for actions/download-artifact: serves what the upload-artifact stand-in
 * recorded earlier in the same run (another job), selected by `name` or `pattern`
 * (`*` wildcards), written under `path` (one folder per artifact, or all together
 * with merge-multiple), as the real action lays them out. With `run-id` (an artifact of another
 * run of the same repository, which needs `github-token`), from `otherRuns` keyed by run id.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ArtifactRecord } from './upload-artifact.ts';
import {
  booleanInput,
  expectKnownInputs,
  StandInInputError,
  type StandIn,
  type StandInCall,
} from '../stand-in.ts';

const INPUTS = [
  'name',
  'pattern',
  'path',
  'merge-multiple',
  'github-token',
  'repository',
  'run-id',
  'artifact-ids',
];

export function downloadArtifactStandIn(
  sameRun: readonly ArtifactRecord[],
  otherRuns: Record<string, readonly ArtifactRecord[]> = {},
): StandIn {
  return (call: StandInCall) => {
    expectKnownInputs(call, INPUTS);
    const fail = (message: string) => new StandInInputError(call.uses, message);
    if (call.with.repository) throw fail('not supported by the local runner: another repository');
    const runId = call.with['run-id'];
    if (runId && !/^\d+$/.test(runId))
      throw fail(`input 'run-id' must be a run id, got ${JSON.stringify(runId)}`);
    if (runId && !call.with['github-token']) throw fail("input 'run-id' needs 'github-token'");
    const artifacts = runId ? (otherRuns[runId] ?? []) : sameRun;
    const merge = booleanInput(call, 'merge-multiple', false);
    const { name, pattern } = call.with;
    if (name && pattern) throw fail('give name or pattern, not both');
    const glob = pattern
      ? new RegExp(
          `^${pattern
            .split('*')
            .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        )
      : undefined;
    const chosen = artifacts.filter((a) => (name ? a.name === name : glob ? glob.test(a.name) : true));
    if (name && chosen.length === 0) return { failed: `Artifact not found for name: ${name}` };
    const root = resolve(call.workspace, call.with.path ?? '.');
    for (const artifact of chosen) {
      for (const [file, bytes] of Object.entries(artifact.files)) {
        const target = name || merge ? join(root, file) : join(root, artifact.name, file);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, bytes);
      }
    }
    return {
      outputs: { 'download-path': root },
      log: [`Downloaded ${chosen.length} artifact(s) to ${root}`],
    };
  };
}
