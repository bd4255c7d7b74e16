import { InputError, InputReader } from '@slipway/core';
import {
  AZURE_PUBLIC_AUTHORITY,
  CLOUD_PLATFORM_SCOPE,
  GOOGLE_IAM_CREDENTIALS_ENDPOINT,
  GOOGLE_STS_ENDPOINT,
  MAX_DURATION_SECONDS,
  MIN_DURATION_SECONDS,
  checkManagedPolicies,
  checkSessionName,
  checkSessionPolicy,
  defaultSessionName,
  endpointUrl,
  parseRoleChain,
  type AwsLoginOptions,
  type AzureLoginOptions,
  type GcpLoginOptions,
} from '@slipway/oidc';

export type Provider = 'aws' | 'gcp' | 'azure';

export interface Inputs {
  provider: Provider;
  'export-env': boolean;
  'max-attempts': number;
  /** Milliseconds. */
  'retry-timeout': number;
  /** Milliseconds. */
  'request-timeout': number;
  aws?: AwsLoginOptions & { profile?: string };
  gcp?: GcpLoginOptions & { createCredentialsFile: boolean; projectId?: string };
  azure?: AzureLoginOptions;
}

const PROFILE = /^[\w.-]{1,64}$/;

/** Reads and validates every input; nothing here touches the network. */
export function getInputs(reader = new InputReader(), env: NodeJS.ProcessEnv = process.env): Inputs {
  const provider = reader.enumeration('provider', ['aws', 'gcp', 'azure'] as const);
  if (!provider) throw new InputError('provider', 'is required but was not set', 'one of: aws, gcp, azure');
  const audience = reader.string('audience');
  const inputs: Inputs = {
    provider,
    'export-env': reader.boolean('export-env', true),
    'max-attempts': reader.integer('max-attempts', { default: 5, min: 1, max: 20 }) as number,
    'retry-timeout': reader.duration('retry-timeout', {
      default: 120_000,
      minMs: 1000,
      maxMs: 3_600_000,
    }) as number,
    'request-timeout': reader.duration('request-timeout', {
      default: 30_000,
      minMs: 1000,
      maxMs: 300_000,
    }) as number,
  };
  if (provider === 'aws') inputs.aws = awsInputs(reader, env, audience);
  if (provider === 'gcp') inputs.gcp = gcpInputs(reader, audience);
  if (provider === 'azure') inputs.azure = azureInputs(reader, audience);
  return inputs;
}

function awsInputs(reader: InputReader, env: NodeJS.ProcessEnv, audience?: string): Inputs['aws'] {
  const roleArn = reader.string('role-to-assume', { required: true, form: 'an IAM role ARN' });
  const region = reader.string('aws-region', { required: true, form: 'an AWS region such as us-east-1' });
  const sessionName = reader.string('role-session-name');
  const sessionPolicy = reader.string('session-policy');
  const override = reader.string('sts-endpoint');
  const profile = reader.string('aws-profile', {
    pattern: PROFILE,
    form: 'a profile name of letters, digits, . _ -',
  });
  return {
    roleArn,
    region,
    ...(audience ? { audience } : {}),
    fips: reader.boolean('use-fips-endpoint', false),
    dualStack: reader.boolean('use-dualstack-endpoint', false),
    ...(override ? { stsEndpointOverride: endpointUrl(override, 'sts-endpoint') } : {}),
    sessionName: sessionName ? checkSessionName(sessionName) : defaultSessionName(env),
    durationSeconds: reader.integer('role-duration-seconds', {
      default: 3600,
      min: MIN_DURATION_SECONDS,
      max: MAX_DURATION_SECONDS,
    }) as number,
    ...(sessionPolicy ? { sessionPolicy: checkSessionPolicy(sessionPolicy) } : {}),
    managedPolicies: checkManagedPolicies(reader.list('managed-session-policies')),
    chain: parseRoleChain(reader.string('role-chain')),
    maskAccountId: reader.boolean('mask-account-id', true),
    ...(profile ? { profile } : {}),
  };
}

function gcpInputs(reader: InputReader, audience?: string): Inputs['gcp'] {
  const serviceAccount = reader.string('service-account');
  const idTokenAudience = reader.string('id-token-audience');
  const projectId = reader.string('project-id', {
    pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    form: 'a Google Cloud project ID',
  });
  const scopes = reader.list('access-token-scopes');
  return {
    workloadIdentityProvider: reader.string('workload-identity-provider', {
      required: true,
      form: 'projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>',
    }),
    ...(serviceAccount ? { serviceAccount } : {}),
    ...(audience ? { audience } : {}),
    tokenFormat: reader.enumeration('token-format', ['none', 'access_token', 'id_token'] as const, 'none'),
    accessTokenLifetimeSeconds:
      (reader.duration('access-token-lifetime', {
        default: 3_600_000,
        minMs: 1000,
        maxMs: 43_200_000,
      }) as number) / 1000,
    accessTokenScopes: scopes.length > 0 ? scopes : [CLOUD_PLATFORM_SCOPE],
    ...(idTokenAudience ? { idTokenAudience } : {}),
    stsEndpoint: endpointUrl(
      reader.string('google-sts-endpoint') ?? GOOGLE_STS_ENDPOINT,
      'google-sts-endpoint',
    ),
    iamCredentialsEndpoint: endpointUrl(
      reader.string('google-iam-credentials-endpoint') ?? GOOGLE_IAM_CREDENTIALS_ENDPOINT,
      'google-iam-credentials-endpoint',
    ),
    createCredentialsFile: reader.boolean('create-credentials-file', true),
    ...(projectId ? { projectId } : {}),
  };
}

function azureInputs(reader: InputReader, audience?: string): Inputs['azure'] {
  const subscriptionId = reader.string('subscription-id');
  const scope = reader.string('azure-scope');
  return {
    clientId: reader.string('client-id', { required: true, form: 'the application (client) ID, a GUID' }),
    tenantId: reader.string('tenant-id', { required: true, form: 'the directory (tenant) ID' }),
    ...(subscriptionId ? { subscriptionId } : {}),
    ...(audience ? { audience } : {}),
    authorityHost: endpointUrl(
      reader.string('azure-authority-host') ?? AZURE_PUBLIC_AUTHORITY,
      'azure-authority-host',
    ),
    ...(scope ? { scope } : {}),
  };
}
