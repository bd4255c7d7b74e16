/**
 * One step shared by sign and verify: pick the registry credentials (explicit,
 * else the docker config), build the distribution API client for the image's
 * repository and resolve the reference to the digest the registry holds.
 */
import type { MaskSink, RetryOptions } from '@slipway/core';
import { maskSecret } from '@slipway/core';
import { httpClientTransport } from './http-transport.ts';
import type { ImageReference } from './image-reference.ts';
import { RegistryClient } from './registry-client.ts';
import {
  credentialsFromDockerConfig,
  dockerConfigPath,
  type RegistryCredentials,
} from './registry-credentials.ts';
import { resolveDigest, type ResolvedImage } from './resolve-digest.ts';

export interface OpenedImage {
  client: RegistryClient;
  resolved: ResolvedImage;
  credentials: RegistryCredentials | undefined;
}

/** SLIPWAY_REGISTRY_TOKEN_REALMS: hosts (comma- or space-separated) trusted as token services. */
export function tokenRealmHostsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env.SLIPWAY_REGISTRY_TOKEN_REALMS ?? '').split(/[\s,]+/).filter(Boolean);
}

export async function openImage(
  reference: ImageReference,
  options: {
    credentials?: RegistryCredentials | undefined;
    env?: NodeJS.ProcessEnv;
    timeoutMs: number;
    mask?: MaskSink;
    retry?: Partial<RetryOptions>;
  },
): Promise<OpenedImage> {
  const credentials =
    options.credentials ??
    credentialsFromDockerConfig(reference.registry, dockerConfigPath(options.env ?? process.env));
  if (credentials) maskSecret(credentials.password, options.mask);
  const client = new RegistryClient({
    registry: reference.registry,
    repository: reference.repository,
    transport: httpClientTransport({ timeoutMs: options.timeoutMs }),
    credentials,
    retry: { totalTimeoutMs: options.timeoutMs, ...options.retry },
    ...(options.mask ? { mask: options.mask } : {}),
    tokenRealmHosts: tokenRealmHostsFromEnv(options.env ?? process.env),
  });
  return { client, resolved: await resolveDigest(reference, client), credentials };
}
