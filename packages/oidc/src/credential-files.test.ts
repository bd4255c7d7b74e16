import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  awsCredentialsIni,
  createCredentialsDir,
  removeCredentialsDir,
  writePrivateFile,
} from './credential-files.ts';
import { awsExports, gcpExports, projectFromServiceAccount } from './login-environment.ts';

describe('credential files', () => {
  it('writes 0600 files in a 0700 folder under RUNNER_TEMP and removes the folder', async () => {
    const base = mkdtempSync(join(tmpdir(), 'oidc-files-'));
    const runnerTemp = join(base, 'temp');
    mkdirSync(runnerTemp);
    const dir = await createCredentialsDir(runnerTemp, join(base, 'workspace'));
    expect(dir.startsWith(join(runnerTemp, 'oidc-login-'))).toBe(true);
    // POSIX permission bits; Windows has no such bits (node reports 0o666) and relies on the profile folder's ACL
    const posix = process.platform !== 'win32';
    if (posix) expect(statSync(dir).mode & 0o777).toBe(0o700);
    const file = await writePrivateFile(dir, 'credentials', 'x');
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    await expect(writePrivateFile(dir, 'credentials', 'y')).rejects.toThrow(/EEXIST/);
    await removeCredentialsDir(dir);
    expect(existsSync(dir)).toBe(false);
    await removeCredentialsDir(dir);
  });

  it('refuses a RUNNER_TEMP inside the workspace, or none at all', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'oidc-ws-'));
    await expect(createCredentialsDir(join(workspace, '.tmp'), workspace)).rejects.toThrow(
      `RUNNER_TEMP (${join(workspace, '.tmp')}) is inside the workspace (${workspace}); credential files are never written there.`,
    );
    await expect(createCredentialsDir(undefined, workspace)).rejects.toThrow('RUNNER_TEMP is not set');
  });

  it('renders a shared-credentials profile', () => {
    expect(
      awsCredentialsIni('deploy', {
        accessKeyId: 'ASIA1',
        secretAccessKey: 's/k',
        sessionToken: 't+1',
        expiration: '',
      }),
    ).toBe('[deploy]\naws_access_key_id = ASIA1\naws_secret_access_key = s/k\naws_session_token = t+1\n');
  });
});

describe('exports', () => {
  const result = {
    credentials: {
      accessKeyId: 'ASIA1',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: '2026-11-26T07:00:00Z',
    },
    arn: 'arn:aws:sts::111122223333:assumed-role/r/s',
    assumedRoleId: 'AROA:s',
    accountId: '111122223333',
    region: 'eu-west-1',
  };

  it('AWS: env only when export-env, region kept by the post step', () => {
    expect(awsExports(result, true)).toEqual({
      env: {
        AWS_ACCESS_KEY_ID: 'ASIA1',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
      },
      outputs: { 'aws-account-id': '111122223333', arn: result.arn, expiration: '2026-11-26T07:00:00Z' },
      credentialEnv: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
    });
    expect(awsExports(result, false, '/t/credentials').env).toEqual({
      AWS_SHARED_CREDENTIALS_FILE: '/t/credentials',
    });
  });

  it('Google: project from the service account email', () => {
    expect(projectFromServiceAccount('deploy@my-project.iam.gserviceaccount.com')).toBe('my-project');
    expect(projectFromServiceAccount('someone@example.com')).toBeUndefined();
    expect(gcpExports({ accessToken: 'ya29' }, true, '/t/c.json', 'p-1')).toEqual({
      env: {
        GOOGLE_APPLICATION_CREDENTIALS: '/t/c.json',
        CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: '/t/c.json',
        GOOGLE_CLOUD_PROJECT: 'p-1',
        CLOUDSDK_CORE_PROJECT: 'p-1',
      },
      outputs: { 'access-token': 'ya29', 'credentials-file': '/t/c.json', 'project-id': 'p-1' },
      credentialEnv: ['GOOGLE_APPLICATION_CREDENTIALS', 'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE'],
    });
  });
});
