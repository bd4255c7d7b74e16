import type { AwsLoginResult } from './aws-login.ts';

/** What a login hands to the job: env to export, outputs, and which env names the post step blanks. */
export interface LoginExports {
  env: Record<string, string>;
  outputs: Record<string, string>;
  /** Credential variables the post step resets to empty (region and ids stay). */
  credentialEnv: string[];
}

export function awsExports(
  result: AwsLoginResult,
  exportEnv: boolean,
  credentialsFile?: string,
): LoginExports {
  const env: Record<string, string> = exportEnv
    ? {
        AWS_ACCESS_KEY_ID: result.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: result.credentials.secretAccessKey,
        AWS_SESSION_TOKEN: result.credentials.sessionToken,
        AWS_REGION: result.region,
        AWS_DEFAULT_REGION: result.region,
      }
    : {};
  if (credentialsFile) env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
  return {
    env,
    outputs: {
      'aws-account-id': result.accountId,
      arn: result.arn,
      expiration: result.credentials.expiration,
      ...(credentialsFile ? { 'credentials-file': credentialsFile } : {}),
    },
    credentialEnv: Object.keys(env).filter((name) => name !== 'AWS_REGION' && name !== 'AWS_DEFAULT_REGION'),
  };
}

/** `deploy@my-project.iam.gserviceaccount.com` -> `my-project`. */
export function projectFromServiceAccount(email: string | undefined): string | undefined {
  return /^[^@]+@([a-z][a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(email ?? '')?.[1];
}

export function gcpExports(
  tokens: { accessToken?: string; idToken?: string },
  exportEnv: boolean,
  credentialsFile: string | undefined,
  projectId: string | undefined,
): LoginExports {
  const env: Record<string, string> = {};
  if (exportEnv && credentialsFile) {
    env.GOOGLE_APPLICATION_CREDENTIALS = credentialsFile;
    env.CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE = credentialsFile;
  }
  if (exportEnv && projectId) {
    env.GOOGLE_CLOUD_PROJECT = projectId;
    env.CLOUDSDK_CORE_PROJECT = projectId;
  }
  return {
    env,
    outputs: {
      ...(tokens.accessToken ? { 'access-token': tokens.accessToken } : {}),
      ...(tokens.idToken ? { 'id-token': tokens.idToken } : {}),
      ...(credentialsFile ? { 'credentials-file': credentialsFile } : {}),
      ...(projectId ? { 'project-id': projectId } : {}),
    },
    credentialEnv: Object.keys(env).filter((name) => !name.endsWith('PROJECT')),
  };
}
