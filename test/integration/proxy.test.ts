/**
 * Every action behind an HTTP proxy, through the committed bundles: the runner
 * exports HTTP_PROXY/HTTPS_PROXY/NO_PROXY (both cases) and NODE_EXTRA_CA_CERTS
 * for the proxy's CA. The doubles are addressed by names that do not resolve
 * (`*.proxied.test`), so a request that bypasses the proxy fails with ENOTFOUND
 * and one that goes through it reaches the double (the proxy maps the names to
 * the loopback ports). https:// names go through an intercepting tunnel (TLS
 * terminated by the proxy with a certificate from its CA), http:// names through
 * a plain tunnel; the proxy's log shows which calls went through it.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeaks, runAction, type ActionRunResult } from '../harness/run-action.ts';
import {
  startForwardProxy,
  type ForwardProxy,
  type ProxyLogEntry,
} from '../doubles/forward-proxy/forward-proxy.ts';
import { startOidcIssuer, type OidcIssuer } from '../doubles/oidc-issuer/server.ts';
import { startStsDouble, type StsDouble } from '../doubles/aws-sts/server.ts';
import { startGoogleDouble, type GoogleDouble } from '../doubles/google-sts/server.ts';
import { startAzureTokenDouble, type AzureDouble } from '../doubles/azure-token/server.ts';
import { errorOf } from './support/oidc-login.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';
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

const actions = resolve(import.meta.dirname, '../../actions');
// characters that must be percent-encoded in the proxy URL, which each client has to decode
const PROXY_CREDENTIALS = { username: 'corp\\runner-svc', password: 'Pr0xy:s3cr@t/9f3a%' };

/**
 * Where the proxy credentials show in what the action printed or wrote (log,
 * summary, outputs, exported env): as given, percent-encoded, or as the Basic
 * token. `findLeaks` also requires a secret to be masked, which the actions do
 * not do for proxy credentials (the runner masks the proxy password it is
 * configured with), so this checks exposure only.
 */
function proxyCredentialLeaks(result: ActionRunResult): string[] {
  const { username, password } = PROXY_CREDENTIALS;
  const forms = [
    password,
    encodeURIComponent(password),
    Buffer.from(`${username}:${password}`).toString('base64'),
  ];
  const places = {
    log: result.log,
    summary: result.summary,
    outputs: JSON.stringify(result.outputs),
    env: JSON.stringify(result.env),
  };
  return Object.entries(places).flatMap(([place, text]) =>
    forms.filter((form) => text.includes(form)).map((form) => `${place} contains ${form.slice(0, 4)}…`),
  );
}

let proxy: ForwardProxy;
let authProxy: ForwardProxy;

/** Routes `name` to the port of `url` on both proxies; returns `url` addressed by that name. */
function proxied(url: string, name: string, scheme: 'http' | 'https'): string {
  const local = new URL(url);
  proxy.route(name, Number(local.port));
  authProxy.route(name, Number(local.port));
  return `${scheme}://${name}${local.pathname === '/' ? '' : local.pathname}${local.search}`;
}

/** What the proxy saw since `from`: tunnels and the requests inside them, as compact strings. */
function seen(
  target: ForwardProxy,
  from: number,
  kinds: ProxyLogEntry['kind'][] = ['tunnelled', 'forward'],
): string[] {
  return target.log
    .slice(from)
    .filter((e) => kinds.includes(e.kind))
    .map((e) => `${e.method} ${e.tls ? 'https' : 'http'}://${e.host}${e.path} ${e.status}`);
}

beforeAll(async () => {
  proxy = await startForwardProxy();
  authProxy = await startForwardProxy({ credentials: PROXY_CREDENTIALS });
});
afterAll(async () => {
  await proxy?.close();
  await authProxy?.close();
});

describe('oidc-login (aws) behind a proxy', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/gha-deploy';
  let issuer: OidcIssuer;
  let sts: StsDouble;
  let tokenUrl: string;
  let stsUrl: string;
  beforeAll(async () => {
    issuer = await startOidcIssuer();
    sts = await startStsDouble({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      roles: [{ arn: ROLE, webIdentity: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' } }],
    });
    tokenUrl = proxied(issuer.env.ACTIONS_ID_TOKEN_REQUEST_URL, 'token.actions.proxied.test', 'https');
    stsUrl = proxied(sts.url, 'sts.proxied.test', 'https');
  });
  afterAll(async () => {
    await sts?.close();
    await issuer?.close();
  });

  const login = (env: Record<string, string>, inputs: Record<string, string> = {}) =>
    runAction({
      actionDir: join(actions, 'oidc-login'),
      inputs: {
        provider: 'aws',
        'aws-region': 'us-east-1',
        'sts-endpoint': stsUrl,
        'role-to-assume': ROLE,
        ...inputs,
      },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: tokenUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
        ...env,
      },
      skipPost: true,
    });

  it('requests the GitHub token and calls STS through the proxy, and exports the credentials', async () => {
    const from = proxy.log.length;
    const result = await login(proxy.env());
    expect(errorOf(result)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(seen(proxy, from)).toEqual([
      'GET https://token.actions.proxied.test/_apis/token?api-version=2.0&audience=sts.amazonaws.com 200',
      'POST https://sts.proxied.test/ 200',
    ]);
    const [keyId, secret, sessionToken] = sts.issuedSecrets.slice(-3) as [string, string, string];
    expect(result.main.env.AWS_ACCESS_KEY_ID).toBe(keyId);
    expect(result.main.env.AWS_SECRET_ACCESS_KEY).toBe(secret);
    expect(result.main.env.AWS_SESSION_TOKEN).toBe(sessionToken);
    expect(result.outputs['aws-account-id']).toBe('111122223333');
  });

  it('sends the STS call directly when NO_PROXY lists its host (the name does not resolve: ENOTFOUND)', async () => {
    const from = proxy.log.length;
    const result = await login(proxy.env({ noProxy: 'localhost,.example.com,sts.proxied.test' }), {
      'max-attempts': '1',
    });
    expect(result.exitCode).toBe(1);
    expect(seen(proxy, from)).toEqual([
      'GET https://token.actions.proxied.test/_apis/token?api-version=2.0&audience=sts.amazonaws.com 200',
    ]);
    expect(errorOf(result).split('\n')[0]).toBe(
      'AssumeRoleWithWebIdentity at https://sts.proxied.test did not succeed: getaddrinfo ENOTFOUND sts.proxied.test (ENOTFOUND).',
    );
  });

  it('authenticates to a proxy with the credentials in its URL, which never show in the log', async () => {
    const from = authProxy.log.length;
    const result = await login(authProxy.env());
    expect(errorOf(result)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(authProxy.log.slice(from).map((e) => `${e.kind} ${e.host} ${e.status}`)).toEqual([
      'connect token.actions.proxied.test 200',
      'tunnelled token.actions.proxied.test 200',
      'connect sts.proxied.test 200',
      'tunnelled sts.proxied.test 200',
    ]);
    expect(proxyCredentialLeaks(result)).toEqual([]);
    expect(findLeaks(result, sts.issuedSecrets.slice(-3))).toEqual([]);
  });

  it('fails at once, naming the tunnel, when the proxy wants credentials the URL does not carry (407)', async () => {
    const from = authProxy.log.length;
    const anonymous = `http://127.0.0.1:${authProxy.port}`;
    const result = await login({
      ...authProxy.env(),
      HTTPS_PROXY: anonymous,
      https_proxy: anonymous,
      HTTP_PROXY: anonymous,
      http_proxy: anonymous,
    });
    expect(result.exitCode).toBe(1);
    // not retried (max-attempts is 5): credentials do not appear by themselves
    expect(authProxy.log.slice(from).map((e) => `${e.kind} ${e.host} ${e.status}`)).toEqual([
      'connect token.actions.proxied.test 407',
    ]);
    expect(errorOf(result).split('\n')[0]).toBe(
      'AssumeRoleWithWebIdentity at https://sts.proxied.test did not succeed: the proxy answered HTTP 407 to CONNECT token.actions.proxied.test:443: it wants credentials, or refused the ones given (http://user:password@proxy:port in HTTPS_PROXY/HTTP_PROXY).',
    );
  });
});

/** The GitHub double's env with every URL addressed by a proxied http:// name. */
function proxiedGitHubEnv(gh: GitHubDouble): {
  GITHUB_API_URL: string;
  GITHUB_GRAPHQL_URL: string;
  GITHUB_SERVER_URL: string;
} {
  return {
    GITHUB_API_URL: proxied(gh.env.GITHUB_API_URL, 'api.github.proxied.test', 'http'),
    GITHUB_GRAPHQL_URL: proxied(gh.env.GITHUB_GRAPHQL_URL, 'api.github.proxied.test', 'http'),
    GITHUB_SERVER_URL: proxied(gh.env.GITHUB_SERVER_URL, 'github.proxied.test', 'http'),
  };
}

/** The GitHub double's requests as the proxy would log them, addressed by the proxied API name. */
const viaProxy = (gh: GitHubDouble) =>
  gh.requests.records.map((r) => `${r.method} http://api.github.proxied.test${r.url} ${r.status}`);

describe('pin-check (online) behind a proxy', () => {
  const token = 'ghs_proxy_pin_check_0123456789';
  let gh: GitHubDouble;
  let v4: string;
  let pinned: string;
  beforeAll(async () => {
    gh = await startGitHubDouble();
    const checkout = await gh.repos.create('actions/checkout');
    v4 = await checkout.commit({ files: { 'action.yml': 'name: c\n' }, date: '2024-01-01T00:00:00Z' });
    await checkout.annotatedTag('v4', v4, { message: 'v4' });
    pinned = await checkout.commit({ files: { 'action.yml': 'name: d\n' }, date: '2024-02-01T00:00:00Z' });
  }, 60_000);
  afterAll(async () => {
    await gh?.close();
  });

  it('finds a version-comment drift with every API call through the proxy', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'proxy-pin-check-'));
    mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(workspace, '.github', 'workflows', 'ci.yml'),
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@${pinned} # v4\n`,
    );
    const from = authProxy.log.length;
    gh.requests.reset();
    const result = await runAction({
      actionDir: join(actions, 'pin-check'),
      workspace,
      inputs: { online: 'true', token, cache: 'false' },
      env: { ...proxiedGitHubEnv(gh), ...authProxy.env() },
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.filter((a) => a.title === 'pin-check: version-comment-drift')).toEqual([
      {
        level: 'error',
        file: '.github/workflows/ci.yml',
        line: 6,
        col: 15,
        title: 'pin-check: version-comment-drift',
        message: `the comment says v4, but v4 of actions/checkout points at ${v4.slice(0, 12)}, not at the pinned ${pinned.slice(0, 12)}`,
      },
    ]);
    // every request the GitHub double answered came through a plain tunnel of the proxy
    expect(gh.requests.total).toBeGreaterThan(0);
    expect(seen(authProxy, from, ['tunnelled'])).toEqual(viaProxy(gh));
    expect(proxyCredentialLeaks(result)).toEqual([]);
    expect(findLeaks(result, [token])).toEqual([]);
  });

  it('goes directly to a host under a NO_PROXY domain, which does not resolve', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'proxy-pin-check-'));
    mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(workspace, '.github', 'workflows', 'ci.yml'),
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@${pinned} # v4\n`,
    );
    const from = proxy.log.length;
    gh.requests.reset();
    const result = await runAction({
      actionDir: join(actions, 'pin-check'),
      workspace,
      inputs: { online: 'true', token, cache: 'false' },
      env: { ...proxiedGitHubEnv(gh), ...proxy.env({ noProxy: '.example.com,github.proxied.test' }) },
    });
    expect(result.exitCode).toBe(1);
    expect(proxy.log.slice(from)).toEqual([]);
    expect(gh.requests.total).toBe(0);
    expect(errorOf(result)).toBe(
      'GitHub GraphQL request to http://api.github.proxied.test/graphql got no response: getaddrinfo ENOTFOUND api.github.proxied.test\n' +
        'Check GITHUB_API_URL and the network; behind a proxy, HTTPS_PROXY/HTTP_PROXY and NO_PROXY.',
    );
  });
});

describe('image-bump behind a proxy', () => {
  const TOKEN = 'ghs_proxyimagebump000000000000000000001';
  const DEV = 'apps/web/overlays/dev/kustomization.yaml';
  const fixture = resolve(import.meta.dirname, '../fixtures/gitops/ops-repo');
  let gh: GitHubDouble;
  beforeAll(async () => {
    gh = await startGitHubDouble();
    gh.tokens.set(TOKEN, {
      permissions: { contents: 'write', pull_requests: 'write', issues: 'write', metadata: 'read' },
    });
  });
  afterAll(async () => {
    await gh?.close();
  });

  it('commits the bump and opens the pull request through the proxy', async () => {
    const ops = await gh.repos.create('acme/ops');
    const base = await ops.commit({
      files: { [DEV]: readFileSync(join(fixture, DEV), 'utf8') },
      message: 'init',
    });
    gh.requests.reset();
    const from = proxy.log.length;
    const env = proxiedGitHubEnv(gh);
    const result = await runAction({
      actionDir: join(actions, 'image-bump'),
      inputs: { repository: ops.fullName, token: TOKEN, file: DEV, image: 'web=ghcr.io/acme/web:9b8c7d6' },
      env: { ...env, GITHUB_REPOSITORY: 'acme/web', ...proxy.env() },
    });
    expect(result.exitCode, result.log).toBe(0);
    const head = await ops.resolve('refs/heads/slipway/bump/web');
    expect(await ops.resolve(`${head}^`)).toBe(base);
    expect(ops.repo.pulls.filter((p) => p.state === 'open').map((p) => [p.number, p.title])).toEqual([
      [1, 'Bump web to 9b8c7d6'],
    ]);
    // the html_url the API answered (the double builds it from its own address)
    expect(result.outputs['pull-request-url']).toBe(`${gh.serverUrl}/acme/ops/pull/1`);
    expect(gh.requests.counts()).toMatchObject({
      'POST /repos/{owner}/{repo}/git/refs': 1,
      'graphql:createCommitOnBranch': 1,
      'POST /repos/{owner}/{repo}/pulls': 1,
    });
    expect(seen(proxy, from, ['tunnelled'])).toEqual(viaProxy(gh));
    expect(findLeaks(result, [TOKEN])).toEqual([]);
  });

  it('goes directly to the API host when NO_PROXY lists it, which does not resolve', async () => {
    const ops = await gh.repos.create('acme/ops-direct');
    await ops.commit({ files: { [DEV]: readFileSync(join(fixture, DEV), 'utf8') }, message: 'init' });
    gh.requests.reset();
    const from = proxy.log.length;
    const result = await runAction({
      actionDir: join(actions, 'image-bump'),
      inputs: { repository: ops.fullName, token: TOKEN, file: DEV, image: 'web=ghcr.io/acme/web:9b8c7d6' },
      env: {
        ...proxiedGitHubEnv(gh),
        GITHUB_REPOSITORY: 'acme/web',
        ...proxy.env({ noProxy: 'api.github.proxied.test' }),
      },
    });
    expect(result.exitCode).toBe(1);
    expect(proxy.log.slice(from)).toEqual([]);
    expect(gh.requests.total).toBe(0);
    expect(errorOf(result)).toBe(
      'GitHub GraphQL request to http://api.github.proxied.test/graphql got no response: getaddrinfo ENOTFOUND api.github.proxied.test\n' +
        'Check GITHUB_API_URL and the network; behind a proxy, HTTPS_PROXY/HTTP_PROXY and NO_PROXY.',
    );
  });
});

describe('tool install (trivy-scan) behind a proxy', () => {
  let tools: ToolReleases;
  beforeAll(async () => {
    tools = await startToolReleases();
  });
  afterAll(() => tools?.server.close());

  it('downloads trivy and its checksums from the release mirror through the proxy, redirects included', async () => {
    const runner = simulatedRunner(tools);
    tools.server.resetCounters();
    const from = proxy.log.length;
    const result = await runAction({
      actionDir: join(actions, 'trivy-scan'),
      workspace: mkdtempSync(join(tmpdir(), 'proxy-trivy-')),
      inputs: { target: 'ghcr.io/octo-org/app:1.2.3' },
      env: {
        ...runner.env({ SLIPWAY_RELEASES_URL: proxied(tools.server.url, 'releases.proxied.test', 'http') }),
        ...proxy.env(),
      },
    });
    expect(result.exitCode, result.log).toBe(0);
    expect(runner.calls().length).toBeGreaterThan(0);
    const asset = '/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz';
    expect(tools.server.requests).toContain(asset);
    expect(tools.server.requests).toContain(`/objects${asset}`);
    expect(seen(proxy, from, ['tunnelled'])).toEqual(
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
    proxied(services.registry.url, registryName, 'https');
    image = `${registryName}/octo-org/app:v1`;
    fulcioUrl = proxied(services.sigstore.fulcioUrl, 'fulcio.proxied.test', 'https');
    rekorUrl = proxied(services.sigstore.rekorUrl, 'rekor.proxied.test', 'https');
    sigstoreEnv = {
      ACTIONS_ID_TOKEN_REQUEST_URL: proxied(
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
    const from = authProxy.log.length;
    const signed = await runAction({
      actionDir: join(actions, 'sign'),
      workspace,
      inputs: { image, engine: 'native', 'fulcio-url': fulcioUrl, 'rekor-url': rekorUrl, timeout: '20s' },
      env: { ...sigstoreEnv, HOME: mkdtempSync(join(tmpdir(), 'home-')), ...authProxy.env() },
    });
    expect(errorOf(signed)).toBe('');
    expect(signed.exitCode).toBe(0);
    expect(signed.outputs.digest).toBe(services.digest);
    const signing = seen(authProxy, from, ['tunnelled']);
    const registry = 'https://registry.proxied.test/v2/octo-org/app';
    const hex = services.digest.slice('sha256:'.length);
    expect(signing.slice(0, 4)).toEqual([
      `HEAD ${registry}/manifests/v1 200`,
      'GET https://sigstore-token.proxied.test/oidc/token?api-version=2.0&audience=sigstore 200',
      'POST https://fulcio.proxied.test/api/v2/signingCert 201',
      'POST https://rekor.proxied.test/api/v1/log/entries 201',
    ]);
    // @sigstore/oci's push: blobs, the bundle manifest, then the sha256-<hex> referrers index
    expect(signing.slice(4).every((line) => line.includes(` ${registry}/`))).toBe(true);
    expect(signing.at(-1)).toBe(`PUT ${registry}/manifests/sha256-${hex} 201`);
    expect(proxyCredentialLeaks(signed)).toEqual([]);
    expect(findLeaks(signed, services.sigstore.tokens)).toEqual([]);

    writeFileSync(join(workspace, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot()));
    const verifiedFrom = proxy.log.length;
    const verified = await runAction({
      actionDir: join(actions, 'verify'),
      workspace,
      inputs: {
        image,
        engine: 'native',
        'trusted-root': 'trusted_root.json',
        'certificate-identity': services.sigstore.identity,
      },
      env: proxy.env(),
    });
    expect(errorOf(verified)).toBe('');
    expect(verified.outputs.verified).toBe('1');
    const verifying = seen(proxy, verifiedFrom);
    expect(verifying.slice(0, 1)).toEqual([`HEAD ${registry}/manifests/v1 200`]);
    expect(verifying).toContain(`GET ${registry}/manifests/sha256-${hex} 200`);
    expect(verifying.every((line) => line.includes(` ${registry}/`))).toBe(true);
  });

  it('sends the Rekor upload directly when NO_PROXY lists it (the name does not resolve), after Fulcio went through the proxy', async () => {
    const from = proxy.log.length;
    const result = await runAction({
      actionDir: join(actions, 'sign'),
      workspace: mkdtempSync(join(tmpdir(), 'proxy-sign-')),
      inputs: { image, engine: 'native', 'fulcio-url': fulcioUrl, 'rekor-url': rekorUrl, timeout: '5s' },
      env: {
        ...sigstoreEnv,
        HOME: mkdtempSync(join(tmpdir(), 'home-')),
        ...proxy.env({ noProxy: 'rekor.proxied.test' }),
      },
    });
    expect(result.exitCode).toBe(1);
    expect(seen(proxy, from)).toEqual([
      `HEAD https://registry.proxied.test/v2/octo-org/app/manifests/v1 200`,
      'GET https://sigstore-token.proxied.test/oidc/token?api-version=2.0&audience=sigstore 200',
      'POST https://fulcio.proxied.test/api/v2/signingCert 201',
    ]);
    // @sigstore/sign's error does not carry the cause (getaddrinfo ENOTFOUND rekor.proxied.test) into the message
    expect(errorOf(result)).toBe(
      'Sigstore sign failed: error creating tlog entry\nCheck fulcio-url and rekor-url, and that the job has `permissions: id-token: write`.',
    );
  });
});

/**
 * The Actions cache and artifact services: their Twirp calls go to ACTIONS_RESULTS_URL
 * (a proxied name here); the blob URLs they sign are the doubles' own loopback
 * addresses. @actions/http-client never proxies loopback, but the Azure SDK that
 * uploads blobs sends even those through HTTP_PROXY, so the proxy routes that
 * `127.0.0.1:<port>` to the double as it would route a storage account's name.
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
      proxy.route(`127.0.0.1:${cachePort}`, cachePort);
      const { GITHUB_API_URL, GITHUB_GRAPHQL_URL } = proxiedGitHubEnv(gh);
      const from = proxy.log.length;
      const result = await runAction({
        actionDir: join(actions, 'pin-check'),
        workspace,
        inputs: { fix: 'true', token: 'ghs_proxy_cache_0123456789', 'fail-on-findings': 'false' },
        env: {
          // not the double's GITHUB_SERVER_URL: @actions/cache would take a non-github.com server for GHES (v1)
          GITHUB_API_URL,
          GITHUB_GRAPHQL_URL,
          ...(await cacheService.env()),
          ACTIONS_RESULTS_URL: `${proxied(cacheService.url, 'results.proxied.test', 'http')}/`,
          ...proxy.env(),
        },
      });
      expect(result.exitCode, result.log).toBe(0);
      expect(result.outputs.fixed).toBe('1');
      expect(cacheService.entries().map((e) => e.key)).toEqual(['slipway-pin-check-refs-v1-1000001-1']);
      const twirp = 'results.proxied.test:80/twirp/github.actions.results.api.v1.CacheService';
      expect(
        proxy.log
          .slice(from)
          .filter((e) => e.kind !== 'connect' && e.host !== 'api.github.proxied.test')
          .map((e) => `${e.kind} ${e.method} ${e.host}:${e.port}${e.path.split('?')[0]} ${e.status}`),
      ).toEqual([
        `tunnelled POST ${twirp}/GetCacheEntryDownloadURL 200`,
        `tunnelled POST ${twirp}/CreateCacheEntry 200`,
        `forward PUT 127.0.0.1:${cachePort}/cachedouble/actions-cache/entry-1.tzst 201`,
        `tunnelled POST ${twirp}/FinalizeCacheEntryUpload 200`,
      ]);
      expect(seen(proxy, from, ['tunnelled']).filter((l) => l.includes('api.github.proxied.test'))).toEqual(
        viaProxy(gh),
      );
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
      const blobPort = Number(new URL(service.url).port);
      proxy.route(`127.0.0.1:${blobPort}`, blobPort);
      const from = proxy.log.length;
      const result = await runAction({
        actionDir: join(actions, 'sbom'),
        workspace: mkdtempSync(join(tmpdir(), 'proxy-sbom-')),
        inputs: {
          image: `ghcr.io/octo-org/app@sha256:${'a'.repeat(64)}`,
          formats: 'spdx-json',
          'upload-artifact': 'true',
          'artifact-name': 'sbom',
        },
        env: runner.env({
          SLIPWAY_RELEASES_URL: proxied(tools.server.url, 'releases.proxied.test', 'http'),
          ...(await service.env()),
          ACTIONS_RESULTS_URL: `${proxied(service.url, 'results.proxied.test', 'http')}/`,
          ...proxy.env(),
        }),
      });
      expect(result.exitCode, result.log).toBe(0);
      expect(service.artifacts().map((a) => a.name)).toEqual(['sbom']);
      expect(result.outputs['artifact-id']).toBe(String(service.artifacts()[0]!.id));
      const artifactCalls = proxy.log
        .slice(from)
        .filter((e) => e.kind !== 'connect' && e.host !== 'releases.proxied.test')
        .map((e) => `${e.kind} ${e.method} ${e.host}:${e.port}${e.path.split('?')[0]} ${e.status}`);
      const twirp = 'results.proxied.test:80/twirp/github.actions.results.api.v1.ArtifactService';
      // the Azure SDK's block upload, then its block list, both to the blob URL the service signed
      const blob = `127.0.0.1:${blobPort}/cachedouble/actions-cache/runs/1000001/artifact-${result.outputs['artifact-id']}.zip`;
      expect(artifactCalls).toEqual([
        `tunnelled POST ${twirp}/CreateArtifact 200`,
        `forward PUT ${blob} 201`,
        `forward PUT ${blob} 201`,
        `tunnelled POST ${twirp}/FinalizeArtifact 200`,
      ]);
      expect(service.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
        'CreateArtifact 200',
        'PutBlock 201',
        'PutBlockList 201',
        'FinalizeArtifact 200',
      ]);
      expect(seen(proxy, from, ['tunnelled']).filter((l) => l.includes('releases.proxied.test'))).toEqual(
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

describe('oidc-login (gcp, azure) behind a proxy', () => {
  const PROVIDER =
    'projects/123456789/locations/global/workloadIdentityPools/github/providers/github-actions';
  const SA = 'deploy@my-project.iam.gserviceaccount.com';
  const CLIENT = '11111111-2222-3333-4444-555555555555';
  const TENANT = '66666666-7777-8888-9999-000000000000';
  let issuer: OidcIssuer;
  let google: GoogleDouble;
  let azure: AzureDouble;
  let tokenEnv: Record<string, string>;
  beforeAll(async () => {
    issuer = await startOidcIssuer();
    google = await startGoogleDouble({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      provider: PROVIDER,
      condition: (claims) => claims.repository_owner === 'octo-org',
      bindings: { [SA]: ['octo-org/octo-repo'] },
    });
    azure = await startAzureTokenDouble({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      credentials: [
        { clientId: CLIENT, tenantId: TENANT, subject: 'repo:octo-org/octo-repo:ref:refs/heads/main' },
      ],
    });
    tokenEnv = {
      ACTIONS_ID_TOKEN_REQUEST_URL: proxied(
        issuer.env.ACTIONS_ID_TOKEN_REQUEST_URL,
        'token.multicloud.proxied.test',
        'https',
      ),
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    };
  });
  afterAll(async () => {
    await azure?.close();
    await google?.close();
    await issuer?.close();
  });

  it('gcp: Google STS and IAM Credentials through the proxy', async () => {
    const from = proxy.log.length;
    const result = await runAction({
      actionDir: join(actions, 'oidc-login'),
      inputs: {
        provider: 'gcp',
        'workload-identity-provider': PROVIDER,
        'google-sts-endpoint': proxied(google.url, 'sts.google.proxied.test', 'https'),
        'google-iam-credentials-endpoint': proxied(google.url, 'iamcredentials.proxied.test', 'https'),
        'service-account': SA,
        'token-format': 'access_token',
      },
      env: { ...tokenEnv, ...proxy.env() },
      skipPost: true,
    });
    expect(errorOf(result)).toBe('');
    expect(result.outputs['access-token']).toBe(google.issuedSecrets.at(-1));
    expect(seen(proxy, from).map((line) => line.replace(/\?.*? /, '?… '))).toEqual([
      'GET https://token.multicloud.proxied.test/_apis/token?… 200',
      'POST https://sts.google.proxied.test/v1/token 200',
      `POST https://iamcredentials.proxied.test/v1/projects/-/serviceAccounts/${encodeURIComponent(SA)}:generateAccessToken 200`,
    ]);
  });

  it('azure: the Microsoft identity platform token call through the proxy', async () => {
    const from = proxy.log.length;
    const result = await runAction({
      actionDir: join(actions, 'oidc-login'),
      inputs: {
        provider: 'azure',
        'client-id': CLIENT,
        'tenant-id': TENANT,
        'azure-authority-host': proxied(azure.url, 'login.microsoftonline.proxied.test', 'https'),
        'azure-scope': 'https://management.azure.com/.default',
      },
      env: { ...tokenEnv, ...proxy.env() },
      skipPost: true,
    });
    expect(errorOf(result)).toBe('');
    expect(result.outputs['access-token']).toBe(azure.issuedSecrets.at(-1));
    expect(seen(proxy, from).map((line) => line.replace(/\?.*? /, '?… '))).toEqual([
      'GET https://token.multicloud.proxied.test/_apis/token?… 200',
      `POST https://login.microsoftonline.proxied.test/${TENANT}/oauth2/v2.0/token 200`,
    ]);
  });
});
