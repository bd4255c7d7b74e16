/**
 * The supply-chain actions and the Actions cache/artifact clients behind an HTTP
 * proxy, through the committed bundles (doubles addressed by names that do not
 * resolve, see support/forward-proxies.ts): tool downloads from the release
 * double (its redirect included), sign and verify with engine native against the
 * registry and the Sigstore double, pin-check's lookup cache and sbom's artifact
 * upload. The runner exports the lower-case variable names; some runs here get
 * only those, some only the upper-case ones, so each client is seen reading both.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeaks, runAction } from '../harness/run-action.ts';
import { startGitHubDouble } from '../doubles/github/index.ts';
import {
  simulatedRunner,
  startToolReleases,
  type ToolReleases,
} from '../doubles/release-assets/action-env.ts';
import { startActionsCacheDouble } from '../doubles/actions-cache/cache-server.ts';
import { startActionsArtifactsDouble } from '../doubles/actions-artifacts/artifact-server.ts';
import {
  startSigningServices,
  stopSigningServices,
  type SigningServices,
} from './support/signing-services.ts';
import { errorOf } from './support/oidc-login.ts';
import {
  ACTIONS_DIR,
  proxiedGitHubEnv,
  proxyCredentialLeaks,
  seen,
  useForwardProxies,
  viaProxy,
} from './support/forward-proxies.ts';

const proxies = useForwardProxies();

describe('tool install (trivy-scan) behind a proxy', () => {
  let tools: ToolReleases;
  beforeAll(async () => {
    tools = await startToolReleases();
  });
  afterAll(() => tools?.server.close());

  it('downloads trivy and its checksums from the release mirror through the proxy, redirects included', async () => {
    const runner = simulatedRunner(tools);
    tools.server.resetCounters();
    const from = proxies.plain.log.length;
    const result = await runAction({
      actionDir: join(ACTIONS_DIR, 'trivy-scan'),
      workspace: mkdtempSync(join(tmpdir(), 'proxy-trivy-')),
      inputs: { target: 'ghcr.io/octo-org/app:1.2.3' },
      env: {
        ...runner.env({
          SLIPWAY_RELEASES_URL: proxies.proxied(tools.server.url, 'releases.proxied.test', 'http'),
        }),
        ...proxies.plain.env({ names: 'upper' }),
      },
    });
    expect(result.exitCode, result.log).toBe(0);
    expect(runner.calls().length).toBeGreaterThan(0);
    const asset = '/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz';
    expect(tools.server.requests).toContain(asset);
    expect(tools.server.requests).toContain(`/objects${asset}`);
    expect(seen(proxies.plain, from, ['tunnelled'])).toEqual(
      tools.server.requests.map(
        (path) => `GET http://releases.proxied.test${path} ${path.startsWith('/objects/') ? 200 : 302}`,
      ),
    );
  });
});

describe('sign and verify (engine native) behind a proxy', () => {
  let services: SigningServices;
  let image: string;
  let sigstoreEnv: Record<string, string>;
  let fulcioUrl: string;
  let rekorUrl: string;
  beforeAll(async () => {
    services = await startSigningServices();
    const registryName = 'registry.proxied.test';
    proxies.proxied(services.registry.url, registryName, 'https');
    image = `${registryName}/octo-org/app:v1`;
    fulcioUrl = proxies.proxied(services.sigstore.fulcioUrl, 'fulcio.proxied.test', 'https');
    rekorUrl = proxies.proxied(services.sigstore.rekorUrl, 'rekor.proxied.test', 'https');
    sigstoreEnv = {
      ACTIONS_ID_TOKEN_REQUEST_URL: proxies.proxied(
        services.sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_URL,
        'sigstore-token.proxied.test',
        'https',
      ),
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: services.sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    };
  }, 120_000);
  afterAll(() => stopSigningServices(services ?? {}));

  it('signs keyless and pushes the bundle to the registry through an authenticating proxy, then verifies it', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'proxy-sign-'));
    const from = proxies.auth.log.length;
    const signed = await runAction({
      actionDir: join(ACTIONS_DIR, 'sign'),
      workspace,
      inputs: { image, engine: 'native', 'fulcio-url': fulcioUrl, 'rekor-url': rekorUrl, timeout: '20s' },
      env: {
        ...sigstoreEnv,
        HOME: mkdtempSync(join(tmpdir(), 'home-')),
        ...proxies.auth.env({ names: 'lower' }),
      },
    });
    expect(errorOf(signed)).toBe('');
    expect(signed.exitCode).toBe(0);
    expect(signed.outputs.digest).toBe(services.digest);
    const signing = seen(proxies.auth, from, ['tunnelled']);
    const registry = 'https://registry.proxied.test/v2/octo-org/app';
    const hex = services.digest.slice('sha256:'.length);
    expect(signing.slice(0, 4)).toEqual([
      `HEAD ${registry}/manifests/v1 200`,
      'GET https://sigstore-token.proxied.test/oidc/token?api-version=2.0&audience=sigstore 200',
      'POST https://fulcio.proxied.test/api/v2/signingCert 200',
      'POST https://rekor.proxied.test/api/v1/log/entries 201',
    ]);
    // @sigstore/oci's push: blobs, the bundle manifest, then the sha256-<hex> referrers index
    expect(signing.slice(4).every((line) => line.includes(` ${registry}/`))).toBe(true);
    expect(signing.at(-1)).toBe(`PUT ${registry}/manifests/sha256-${hex} 201`);
    expect(proxyCredentialLeaks(signed)).toEqual([]);
    expect(findLeaks(signed, services.sigstore.tokens)).toEqual([]);

    writeFileSync(join(workspace, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot()));
    const verifiedFrom = proxies.plain.log.length;
    const verified = await runAction({
      actionDir: join(ACTIONS_DIR, 'verify'),
      workspace,
      inputs: {
        image,
        engine: 'native',
        'trusted-root': 'trusted_root.json',
        'certificate-identity': services.sigstore.identity,
      },
      env: proxies.plain.env({ names: 'upper' }),
    });
    expect(errorOf(verified)).toBe('');
    expect(verified.outputs.verified).toBe('1');
    const verifying = seen(proxies.plain, verifiedFrom);
    expect(verifying.slice(0, 1)).toEqual([`HEAD ${registry}/manifests/v1 200`]);
    expect(verifying).toContain(`GET ${registry}/manifests/sha256-${hex} 200`);
    expect(verifying.every((line) => line.includes(` ${registry}/`))).toBe(true);
  });

  it('sends the Rekor upload directly when NO_PROXY lists it (the name does not resolve), after Fulcio went through the proxy', async () => {
    const from = proxies.plain.log.length;
    const result = await runAction({
      actionDir: join(ACTIONS_DIR, 'sign'),
      workspace: mkdtempSync(join(tmpdir(), 'proxy-sign-')),
      inputs: { image, engine: 'native', 'fulcio-url': fulcioUrl, 'rekor-url': rekorUrl, timeout: '5s' },
      env: {
        ...sigstoreEnv,
        HOME: mkdtempSync(join(tmpdir(), 'home-')),
        ...proxies.plain.env({ noProxy: 'rekor.proxied.test', names: 'lower' }),
      },
    });
    expect(result.exitCode).toBe(1);
    expect(seen(proxies.plain, from)).toEqual([
      `HEAD https://registry.proxied.test/v2/octo-org/app/manifests/v1 200`,
      'GET https://sigstore-token.proxied.test/oidc/token?api-version=2.0&audience=sigstore 200',
      'POST https://fulcio.proxied.test/api/v2/signingCert 200',
    ]);
    // @sigstore/sign keeps the network error in `cause`; the message carries it on
    expect(errorOf(result)).toMatch(
      /^Sigstore sign failed: error creating tlog entry: .*ENOTFOUND rekor\.proxied\.test\nCheck fulcio-url and rekor-url/,
    );
  });
});

/**
 * The Actions cache and artifact services: their Twirp calls go to ACTIONS_RESULTS_URL
 * (a proxied name here). The cache double signs blob URLs on its own loopback address:
 * @actions/http-client never proxies loopback, but the Azure SDK that uploads the cache
 * sends even those through HTTP_PROXY, so the proxy routes that `127.0.0.1:<port>` to
 * the double as it would route a storage account's name. The artifact double signs them
 * on a proxied name instead, as the service names a storage account that is not its own host.
 */
describe('Actions cache and artifact clients behind a proxy', () => {
  it('pin-check saves its lookup cache: Twirp calls tunnelled, the blob upload sent to the proxy', async () => {
    const gh = await startGitHubDouble();
    const cacheService = await startActionsCacheDouble();
    try {
      const checkout = await gh.repos.create('actions/checkout');
      const v4 = await checkout.commit({
        files: { 'action.yml': 'name: c\n' },
        date: '2024-01-01T00:00:00Z',
      });
      await checkout.annotatedTag('v4', v4, { message: 'v4' });
      const workspace = mkdtempSync(join(tmpdir(), 'proxy-cache-'));
      mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
      writeFileSync(
        join(workspace, '.github', 'workflows', 'ci.yml'),
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n',
      );
      const cachePort = Number(new URL(cacheService.url).port);
      proxies.plain.route(`127.0.0.1:${cachePort}`, cachePort);
      const { GITHUB_API_URL, GITHUB_GRAPHQL_URL } = proxiedGitHubEnv(proxies, gh);
      const from = proxies.plain.log.length;
      const result = await runAction({
        actionDir: join(ACTIONS_DIR, 'pin-check'),
        workspace,
        inputs: { fix: 'true', token: 'ghs_proxy_cache_0123456789', 'fail-on-findings': 'false' },
        env: {
          // not the double's GITHUB_SERVER_URL: @actions/cache would take a non-github.com server for GHES (v1)
          GITHUB_API_URL,
          GITHUB_GRAPHQL_URL,
          ...(await cacheService.env()),
          ACTIONS_RESULTS_URL: `${proxies.proxied(cacheService.url, 'results.proxied.test', 'http')}/`,
          ...proxies.plain.env({ names: 'lower' }),
        },
      });
      expect(result.exitCode, result.log).toBe(0);
      expect(result.outputs.fixed).toBe('1');
      expect(cacheService.entries().map((e) => e.key)).toEqual([
        expect.stringMatching(/^slipway-pin-check-refs-v2-[0-9a-f]{32}-\d+$/),
      ]);
      const twirp = 'results.proxied.test:80/twirp/github.actions.results.api.v1.CacheService';
      expect(
        proxies.plain.log
          .slice(from)
          .filter((e) => e.kind !== 'connect' && e.host !== 'api.github.proxied.test')
          .map((e) => `${e.kind} ${e.method} ${e.host}:${e.port}${e.path.split('?')[0]} ${e.status}`),
      ).toEqual([
        `tunnelled POST ${twirp}/GetCacheEntryDownloadURL 200`,
        `tunnelled POST ${twirp}/CreateCacheEntry 200`,
        `forward PUT 127.0.0.1:${cachePort}/cachedouble/actions-cache/entry-1.tzst 201`,
        `tunnelled POST ${twirp}/FinalizeCacheEntryUpload 200`,
      ]);
      expect(
        seen(proxies.plain, from, ['tunnelled']).filter((l) => l.includes('api.github.proxied.test')),
      ).toEqual(viaProxy(gh));
    } finally {
      await cacheService.close();
      await gh.close();
    }
  });

  it('sbom downloads syft and uploads the SBOM artifact through the proxy', async () => {
    const tools = await startToolReleases();
    const service = await startActionsArtifactsDouble();
    try {
      const runner = simulatedRunner(tools);
      service.setBlobOrigin(proxies.proxied(service.url, 'blobs.proxied.test', 'http'));
      const from = proxies.plain.log.length;
      const result = await runAction({
        actionDir: join(ACTIONS_DIR, 'sbom'),
        workspace: mkdtempSync(join(tmpdir(), 'proxy-sbom-')),
        inputs: {
          image: `ghcr.io/octo-org/app@sha256:${'a'.repeat(64)}`,
          formats: 'spdx-json',
          'upload-artifact': 'true',
          'artifact-name': 'sbom',
        },
        env: runner.env({
          SLIPWAY_RELEASES_URL: proxies.proxied(tools.server.url, 'releases.proxied.test', 'http'),
          ...(await service.env()),
          ACTIONS_RESULTS_URL: `${proxies.proxied(service.url, 'results.proxied.test', 'http')}/`,
          ...proxies.plain.env({ names: 'lower' }),
        }),
      });
      expect(result.exitCode, result.log).toBe(0);
      expect(service.artifacts().map((a) => a.name)).toEqual(['sbom']);
      expect(result.outputs['artifact-id']).toBe(String(service.artifacts()[0]!.id));
      const artifactCalls = proxies.plain.log
        .slice(from)
        .filter((e) => e.kind !== 'connect' && e.host !== 'releases.proxied.test')
        .map((e) => `${e.kind} ${e.method} ${e.host}:${e.port}${e.path.split('?')[0]} ${e.status}`);
      const twirp = 'results.proxied.test:80/twirp/github.actions.results.api.v1.ArtifactService';
      // one Put Blob to the blob URL the service signed, on a name only the proxy resolves
      const blob = `blobs.proxied.test:80/cachedouble/actions-cache/runs/1000001/artifact-${result.outputs['artifact-id']}.zip`;
      expect(artifactCalls).toEqual([
        `tunnelled POST ${twirp}/CreateArtifact 200`,
        `tunnelled PUT ${blob} 201`,
        `tunnelled POST ${twirp}/FinalizeArtifact 200`,
      ]);
      expect(service.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
        'CreateArtifact 200',
        'PutBlob 201',
        'FinalizeArtifact 200',
      ]);
      expect(
        seen(proxies.plain, from, ['tunnelled']).filter((l) => l.includes('releases.proxied.test')),
      ).toEqual(
        tools.server.requests.map(
          (path) => `GET http://releases.proxied.test${path} ${path.startsWith('/objects/') ? 200 : 302}`,
        ),
      );
    } finally {
      await service.close();
      await tools.server.close();
    }
  });
});
