// oidc-login does everything inside run(), saving its post-step flag first: when the runner's state
// file cannot be written, the step fails with one ::error:: naming the cause, not with an unhandled
// rejection (node's stack trace on stderr). Runs the committed bundle as the runner starts it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const bundle = resolve(import.meta.dirname, '../../dist/oidc-login/index.js');
const scratch = mkdtempSync(join(tmpdir(), 'oidc-login-state-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function runMain(env: Record<string, string>) {
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'].map((name) => {
      const path = join(scratch, `${name}-${Math.random().toString(36).slice(2)}`);
      writeFileSync(path, '');
      return [name, path];
    }),
  );
  return promisify(execFile)(process.execPath, [bundle], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: scratch,
      RUNNER_TEMP: scratch,
      INPUT_PROVIDER: 'aws',
      'INPUT_AWS-REGION': 'us-east-1',
      'INPUT_ROLE-TO-ASSUME': 'arn:aws:iam::111122223333:role/gha-deploy',
      ...files,
      ...env,
    },
  }).then(
    (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );
}

describe('oidc-login main step', () => {
  it('fails with one clean error when the post-step flag cannot be saved', async () => {
    const result = await runMain({ GITHUB_STATE: scratch }); // a folder: appending to it fails
    expect(result.code).toBe(1);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('EISDIR');
    expect(result.stderr).not.toMatch(/Unhandled|at .*index\.js/);
  });

  it('with a writable state file, gets past the flag to the OIDC check', async () => {
    const state = join(scratch, 'state');
    writeFileSync(state, '');
    const result = await runMain({ GITHUB_STATE: state });
    expect(result.code).toBe(1);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/id-token/);
    expect(result.stderr).toBe('');
  });
});
