import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { UserError } from '@slipway/core';
import type { AwsCredentials } from './aws-sts-xml.ts';

/**
 * Creates a private (0700) folder for credential files under RUNNER_TEMP, which
 * the runner empties after the job. Refuses a RUNNER_TEMP inside the workspace,
 * where a later `git add` or artifact upload could pick the files up.
 */
export async function createCredentialsDir(
  runnerTemp: string | undefined,
  workspace: string | undefined,
): Promise<string> {
  if (!runnerTemp) {
    throw new UserError(
      'RUNNER_TEMP is not set, so there is no safe place outside the workspace for credential files.',
      {
        hint: 'Run this action on a GitHub Actions runner, or set RUNNER_TEMP to a private temporary folder.',
      },
    );
  }
  if (workspace && isInside(resolve(runnerTemp), resolve(workspace))) {
    throw new UserError(
      `RUNNER_TEMP (${runnerTemp}) is inside the workspace (${workspace}); credential files are never written there.`,
      { hint: 'Point RUNNER_TEMP at a folder outside GITHUB_WORKSPACE.' },
    );
  }
  const dir = await mkdtemp(join(runnerTemp, 'oidc-login-'));
  return dir;
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Writes a file only the current user can read (0600). Returns its path. */
export async function writePrivateFile(dir: string, name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content, { mode: 0o600, flag: 'wx' });
  return path;
}

/** Removes a folder written by `createCredentialsDir`; missing is fine. */
export async function removeCredentialsDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** An AWS shared-credentials file with one profile. */
export function awsCredentialsIni(profile: string, credentials: AwsCredentials): string {
  return [
    `[${profile}]`,
    `aws_access_key_id = ${credentials.accessKeyId}`,
    `aws_secret_access_key = ${credentials.secretAccessKey}`,
    `aws_session_token = ${credentials.sessionToken}`,
    '',
  ].join('\n');
}
