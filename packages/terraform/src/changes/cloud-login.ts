/**
 * The cloud login of a root module in `.github/slipway-tf.yml`: the settings oidc-login takes for
 * AWS (an IAM role), Google Cloud (workload identity federation) or Azure (a federated
 * credential), under oidc-login's own input names (`role` is its `role-to-assume`):
 *
 * ```yaml
 * defaults:
 *   tenant-id: 0f0e0d0c-0b0a-0908-0706-050403020100    # azure, shared by every project
 * projects:
 *   - dir: aws/prod
 *     role: arn:aws:iam::111122223333:role/tf-prod
 *     aws-region: eu-west-1                             # default: the workflow's aws-region input
 *   - dir: gcp/prod
 *     workload-identity-provider: projects/123456789/locations/global/workloadIdentityPools/github/providers/slipway
 *     service-account: tf-prod@acme-prod.iam.gserviceaccount.com
 *     project-id: acme-prod
 *   - dir: azure/prod
 *     client-id: 00112233-4455-6677-8899-aabbccddeeff
 *     subscription-id: 8899aabb-ccdd-eeff-0011-223344556677
 * ```
 *
 * One cloud per directory: an entry that sets keys of two clouds is an error; an entry that sets
 * keys of one cloud drops what it inherited of the others from `defaults`. The cloud is the one
 * whose keys are set; each value is checked for its form at its line, and the merged login of
 * every project for completeness (azure needs client-id and tenant-id; gcp a
 * workload-identity-provider; aws a role).
 */
import { UserError } from '@slipway/core';

export type Cloud = 'aws' | 'gcp' | 'azure';

export const CLOUD_KEYS = {
  aws: ['role', 'aws-region'],
  gcp: ['workload-identity-provider', 'service-account', 'project-id'],
  azure: ['client-id', 'tenant-id', 'subscription-id'],
} as const;

export type CloudKey = (typeof CLOUD_KEYS)[Cloud][number];

/** Every cloud key, '' when unset. */
export type CloudLogin = Record<CloudKey, string>;

export const ALL_CLOUD_KEYS: readonly CloudKey[] = Object.values(CLOUD_KEYS).flat();

const CLOUDS = Object.keys(CLOUD_KEYS) as Cloud[];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FORMS: Record<CloudKey, { pattern: RegExp; form: string }> = {
  role: {
    pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
    form: 'an IAM role ARN such as arn:aws:iam::111122223333:role/tf-plan',
  },
  'aws-region': { pattern: /^[a-z]{2}(-[a-z]+)+-\d+$/, form: 'an AWS region such as eu-west-1' },
  'workload-identity-provider': {
    pattern: /^projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]+\/providers\/[a-z0-9-]+$/,
    form: 'projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>',
  },
  'service-account': {
    pattern: /^[a-z0-9-]+@[a-z0-9.-]+\.gserviceaccount\.com$/,
    form: 'a service account email such as tf@my-project.iam.gserviceaccount.com',
  },
  'project-id': { pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, form: 'a Google Cloud project ID' },
  'client-id': { pattern: GUID, form: 'the application (client) ID, a GUID' },
  'tenant-id': {
    pattern: /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i,
    form: 'the directory (tenant) ID, a GUID or a domain such as contoso.onmicrosoft.com',
  },
  'subscription-id': { pattern: GUID, form: 'the subscription ID, a GUID' },
};

export const emptyCloudLogin = (): CloudLogin =>
  Object.fromEntries(ALL_CLOUD_KEYS.map((k) => [k, ''])) as CloudLogin;

export const isCloudKey = (key: string): key is CloudKey => (ALL_CLOUD_KEYS as string[]).includes(key);

export const cloudOfKey = (key: CloudKey): Cloud =>
  CLOUDS.find((c) => (CLOUD_KEYS[c] as readonly string[]).includes(key))!;

/** The value of one cloud key, checked for its form; `where` is its file:line. */
export function checkCloudValue(key: CloudKey, value: string, path: string, where: string): string {
  const { pattern, form } = FORMS[key];
  if (!pattern.test(value)) throw new UserError(`${where}: ${path}.${key} must be ${form}`);
  return value;
}

/**
 * Merges the cloud keys one settings entry sets (`own`, with their file:line) into what it
 * inherited. Two clouds in one entry are an error at the first key of the second cloud.
 */
export function mergeCloudLogin(
  inherited: CloudLogin,
  own: { key: CloudKey; value: string; where: string }[],
  path: string,
): CloudLogin {
  if (own.length === 0) return inherited;
  const first = own[0]!;
  const cloud = cloudOfKey(first.key);
  const other = own.find((o) => cloudOfKey(o.key) !== cloud);
  if (other) {
    throw new UserError(
      `${other.where}: ${path} sets ${cloudOfKey(other.key)} login settings (${other.key}) besides ${cloud} ones (${first.key}). Give each directory one cloud login: AWS (${CLOUD_KEYS.aws.join(', ')}), Google Cloud (${CLOUD_KEYS.gcp.join(', ')}) or Azure (${CLOUD_KEYS.azure.join(', ')}).`,
    );
  }
  const merged = emptyCloudLogin();
  for (const key of CLOUD_KEYS[cloud]) merged[key] = inherited[key];
  for (const { key, value } of own) merged[key] = value;
  return merged;
}

/** The cloud of a merged login: '' when it sets no key. */
export function cloudOf(login: CloudLogin): Cloud | '' {
  return CLOUDS.find((c) => CLOUD_KEYS[c].some((k) => login[k] !== '')) ?? '';
}

/** Throws unless the login oidc-login would get is complete; `where` is the entry's file:line. */
export function checkCloudLoginComplete(login: CloudLogin, path: string, where: string): void {
  const cloud = cloudOf(login);
  const required: Record<Cloud, CloudKey[]> = {
    aws: ['role'],
    gcp: ['workload-identity-provider'],
    azure: ['client-id', 'tenant-id'],
  };
  if (cloud === '') return;
  const missing = required[cloud].filter((k) => login[k] === '');
  if (missing.length > 0) {
    const set = CLOUD_KEYS[cloud].filter((k) => login[k] !== '');
    throw new UserError(
      `${where}: ${path} sets ${set.join(', ')} for a ${cloud} login but not ${missing.join(' and ')} (here or in defaults).`,
    );
  }
}
