/**
 * A read client for the OCI distribution API: manifests (HEAD/GET with the
 * manifest media types in Accept), blobs, and referrers (the OCI 1.1 referrers
 * API, else the `sha256-<hex>` tag fallback). Authentication follows the
 * registry's 401 challenge: Basic sends the credentials, Bearer fetches a token
 * from the challenge's realm (with the credentials, or anonymously) and retries.
 * Every request has a timeout; 408/429/5xx and network errors are retried with
 * the @slipway/core backoff under a total cap.
 */
import { createHash } from 'node:crypto';
import {
  RetryableError,
  UserError,
  errorMessage,
  maskSecret,
  proxyRefusal,
  retry,
  type MaskSink,
  type RetryOptions,
} from '@slipway/core';
import { parseAuthChallenge } from './auth-challenge.ts';
import type { HttpRequest, HttpResponse, HttpTransport } from './http-transport.ts';
import type { RegistryCredentials } from './registry-credentials.ts';

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface RegistryClientOptions {
  registry: string;
  repository: string;
  transport: HttpTransport;
  credentials?: RegistryCredentials | undefined;
  /** Use http:// (loopback registries); defaults to true only for localhost, 127.0.0.1 and [::1]. */
  plainHttp?: boolean;
  retry?: Partial<RetryOptions>;
  mask?: MaskSink;
  /**
   * Hosts besides the registry's own to which credentials may be sent when a Bearer challenge
   * names them as its token realm (SLIPWAY_REGISTRY_TOKEN_REALMS); see `realmMayGetCredentials`.
   */
  tokenRealmHosts?: string[];
}

/** OCI distribution: registries should accept manifests up to 4 MiB; nothing Slipway reads is bigger. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** More referrers than any real image carries: a referrers index beyond this is refused. */
export const MAX_REFERRERS = 1000;

/** Token services of registries that keep them on another host. */
const KNOWN_TOKEN_REALMS: Record<string, string[]> = { 'docker.io': ['auth.docker.io'] };

/**
 * Whether the registry's credentials may go to the token realm its challenge names: a hostile or
 * compromised registry (or anything answering in its place) must not collect them by naming a
 * realm of its choosing. Allowed: the registry's own host, a known token service of that registry,
 * or a host the user listed; over https, or http on loopback.
 */
export function realmMayGetCredentials(
  registry: string,
  registryHost: string,
  realm: URL,
  allowed: string[] = [],
): boolean {
  const host = realm.host.toLowerCase();
  const hosts = [registry, registryHost, ...(KNOWN_TOKEN_REALMS[registry] ?? []), ...allowed].map((h) =>
    h.toLowerCase(),
  );
  if (!hosts.includes(host)) return false;
  return realm.protocol === 'https:' || (realm.protocol === 'http:' && LOOPBACK.test(host));
}

/** The registry answered a request with an error status it does not retry (a user-facing error). */
export class RegistryError extends UserError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

export class RegistryClient {
  private readonly base: string;
  private readonly host: string;
  private authorization: string | undefined;

  constructor(private readonly options: RegistryClientOptions) {
    const plain = options.plainHttp ?? LOOPBACK.test(options.registry);
    this.host = options.registry === 'docker.io' ? 'registry-1.docker.io' : options.registry;
    this.base = `${plain ? 'http' : 'https'}://${this.host}/v2/${options.repository}`;
  }

  /** The manifest's descriptor without downloading it when the registry sends Docker-Content-Digest. */
  async headManifest(reference: string): Promise<Descriptor | undefined> {
    const response = await this.send({
      method: 'HEAD',
      url: `${this.base}/manifests/${reference}`,
      headers: { Accept: MANIFEST_MEDIA_TYPES.join(', ') },
    });
    if (response.status === 404) return undefined;
    const digest = response.headers['docker-content-digest'];
    if (!digest) return (await this.getManifest(reference))?.descriptor;
    return {
      mediaType: response.headers['content-type'] ?? '',
      digest,
      size: Number(response.headers['content-length'] ?? 0),
    };
  }

  /** The manifest bytes and their descriptor; the digest is computed from the bytes. */
  async getManifest(reference: string): Promise<{ descriptor: Descriptor; body: Buffer } | undefined> {
    const response = await this.send({
      method: 'GET',
      url: `${this.base}/manifests/${reference}`,
      headers: { Accept: MANIFEST_MEDIA_TYPES.join(', ') },
      maxBodyBytes: MAX_MANIFEST_BYTES,
    });
    if (response.status === 404) return undefined;
    const digest = `sha256:${createHash('sha256').update(response.body).digest('hex')}`;
    if (reference.startsWith('sha256:') && reference !== digest)
      throw new Error(
        `registry returned a manifest whose digest ${digest} is not the requested ${reference}`,
      );
    return {
      descriptor: {
        mediaType: response.headers['content-type'] ?? '',
        digest,
        size: response.body.length,
      },
      body: response.body,
    };
  }

  async getBlob(digest: string): Promise<Buffer> {
    const response = await this.send({ method: 'GET', url: `${this.base}/blobs/${digest}` });
    if (response.status === 404)
      throw new UserError(
        `Blob ${digest} does not exist in ${this.options.registry}/${this.options.repository}.`,
      );
    const actual = `sha256:${createHash('sha256').update(response.body).digest('hex')}`;
    if (digest.startsWith('sha256:') && actual !== digest)
      throw new Error(`registry returned blob bytes with digest ${actual} for ${digest}`);
    return response.body;
  }

  /**
   * Manifests that name `digest` as their subject: the referrers API when the
   * registry has it, else the index tagged `sha256-<hex>` (OCI 1.1 fallback).
   */
  async referrers(digest: string, artifactType?: string): Promise<Descriptor[]> {
    const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
    const response = await this.send({
      method: 'GET',
      url: `${this.base}/referrers/${digest}${query}`,
      headers: { Accept: 'application/vnd.oci.image.index.v1+json' },
      maxBodyBytes: MAX_MANIFEST_BYTES,
    });
    let index: Buffer | undefined;
    if (response.status === 200 && (response.headers['content-type'] ?? '').includes('json')) {
      index = response.body;
    } else {
      index = (await this.getManifest(digest.replace(':', '-')))?.body;
    }
    if (!index) return [];
    const manifests = (JSON.parse(index.toString('utf8')) as { manifests?: Descriptor[] }).manifests ?? [];
    if (manifests.length > MAX_REFERRERS) {
      throw new UserError(
        `${this.options.registry}/${this.options.repository}@${digest} has ${manifests.length} referrers, more than the ${MAX_REFERRERS} Slipway reads; refusing to go through them.`,
        {
          hint: 'Delete stale signatures and attestations of this digest from the registry; anyone with push rights can attach referrers to it.',
        },
      );
    }
    return artifactType ? manifests.filter((m) => m.artifactType === artifactType) : manifests;
  }

  /** One request with auth and retries; 404 is returned, other 4xx become errors. */
  private async send(request: HttpRequest): Promise<HttpResponse> {
    try {
      return await this.sendWithRetries(request);
    } catch (error) {
      if (error instanceof UserError) throw error;
      // Network failures and retryable statuses that outlasted the retries: the registry (or the
      // proxy in front of it) is the problem, not Slipway.
      const reason = proxyRefusal(error, request.url)?.message ?? errorMessage(error);
      throw new UserError(
        error instanceof RetryableError
          ? `The registry ${this.options.registry} kept failing: ${reason}.`
          : `${request.method} ${request.url} to the registry ${this.options.registry} failed: ${reason}.`,
        {
          hint: 'Check that the registry is reachable from the runner; behind a proxy, check HTTPS_PROXY and NO_PROXY.',
          cause: error,
        },
      );
    }
  }

  private async sendWithRetries(request: HttpRequest): Promise<HttpResponse> {
    return retry(
      async () => {
        let response = await this.attempt(request);
        if (response.status === 401 && (await this.authenticate(response))) {
          response = await this.attempt(request);
        }
        if (response.status === 200 || response.status === 404) return response;
        const what = `${request.method} ${request.url}`;
        if (response.status === 401 || response.status === 403) {
          throw new UserError(
            `The registry ${this.options.registry} denied ${what} (HTTP ${response.status}).`,
            {
              hint: 'Log in to the registry (docker/login-action) or pass registry-username and registry-password, and give the job `packages: read` (GHCR).',
            },
          );
        }
        if (response.status === 408 || response.status === 429 || response.status >= 500) {
          throw new RetryableError(`${what} answered HTTP ${response.status}`, retryAfterMs(response));
        }
        throw new RegistryError(
          `${what} answered HTTP ${response.status}: ${response.body.toString('utf8').slice(0, 300)}`,
          response.status,
        );
      },
      { ...this.options.retry },
    );
  }

  private attempt(request: HttpRequest): Promise<HttpResponse> {
    const headers = { ...request.headers };
    if (this.authorization) headers.Authorization = this.authorization;
    return this.options.transport({ ...request, headers });
  }

  /** Answers a 401 challenge; returns false when there is nothing new to try. */
  private async authenticate(response: HttpResponse): Promise<boolean> {
    const challenge = parseAuthChallenge(response.headers['www-authenticate']);
    const credentials = this.options.credentials;
    const mask = this.options.mask;
    if (!challenge) return false;
    if (challenge.scheme === 'basic') {
      if (!credentials || this.authorization?.startsWith('Basic ')) return false;
      this.authorization = `Basic ${maskSecret(Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'), mask)}`;
      return true;
    }
    if (this.authorization?.startsWith('Bearer ')) return false;
    const realm = challenge.params.realm;
    if (!realm) return false;
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new UserError(
        `The registry ${this.options.registry} named a token realm that is not a URL: '${realm.slice(0, 200)}'.`,
      );
    }
    if (
      credentials &&
      !realmMayGetCredentials(this.options.registry, this.host, url, this.options.tokenRealmHosts)
    ) {
      throw new UserError(
        `The registry ${this.options.registry} asked for its credentials to be sent to the token service ${url.origin}, which is not the registry's own host; they were not sent.`,
        {
          hint: `If ${url.host} really is this registry's token service, list it in SLIPWAY_REGISTRY_TOKEN_REALMS (comma-separated hosts). Otherwise check the registry address: something else answered for it.`,
        },
      );
    }
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', challenge.params.scope ?? `repository:${this.options.repository}:pull`);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (credentials) {
      headers.Authorization = `Basic ${maskSecret(Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'), mask)}`;
    }
    const tokenResponse = await this.options.transport({ method: 'GET', url: url.toString(), headers });
    if (tokenResponse.status !== 200) {
      throw new UserError(
        `The registry token service ${url.origin}${url.pathname} refused a token for ${this.options.repository} (HTTP ${tokenResponse.status}).`,
        { hint: 'Check the registry credentials and that they may pull this repository.' },
      );
    }
    const json = JSON.parse(tokenResponse.body.toString('utf8')) as { token?: string; access_token?: string };
    const token = json.token ?? json.access_token;
    if (!token) throw new Error(`the token service ${url.origin} answered without a token`);
    this.authorization = `Bearer ${maskSecret(token, mask)}`;
    return true;
  }
}

function retryAfterMs(response: HttpResponse): number | undefined {
  const value = response.headers['retry-after'];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value) * 1000;
}
