/**
 * pin-check (online mode, lookup cache) and image-bump behind an HTTP proxy,
 * through the committed bundles: every request the GitHub API double answers
 * came through a plain tunnel of the proxy double (the double addressed by
 * names that do not resolve, see support/forward-proxies.ts); NO_PROXY sends the
 * calls directly, and the failure names the URL and ENOTFOUND.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeaks, runAction } from '../harness/run-action.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';
import {
  ACTIONS_DIR,
  proxiedGitHubEnv,
  proxyCredentialLeaks,
  seen,
  useForwardProxies,
  viaProxy,
} from './support/forward-proxies.ts';
import { errorOf } from './support/oidc-login.ts';

const proxies = useForwardProxies();

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
    const from = proxies.auth.log.length;
    gh.requests.reset();
    const result = await runAction({
      actionDir: join(ACTIONS_DIR, 'pin-check'),
      workspace,
      inputs: { online: 'true', token, cache: 'false' },
      env: { ...proxiedGitHubEnv(proxies, gh), ...proxies.auth.env() },
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.filter((a) => a.title === 'pin-check: version-comment-drift')).toEqual([
      {
        level: 'error',
        file: '.github/workflows/ci.yml',
        line: 6,
        col: 15,
        title: 'pin-check: version-comment-drift',
        message:
          `the comment says v4, but v4 of actions/checkout points at ${v4.slice(0, 12)}, not at the pinned ${pinned.slice(0, 12)}, ` +
          `and ${v4.slice(0, 12)} does not contain the pinned commit: the tag was moved to other history, or the comment is wrong. Check both before trusting the pin`,
      },
    ]);
    // every request the GitHub double answered came through a plain tunnel of the proxy
    expect(gh.requests.total).toBeGreaterThan(0);
    expect(seen(proxies.auth, from, ['tunnelled'])).toEqual(viaProxy(gh));
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
    const from = proxies.plain.log.length;
    gh.requests.reset();
    const result = await runAction({
      actionDir: join(ACTIONS_DIR, 'pin-check'),
      workspace,
      inputs: { online: 'true', token, cache: 'false' },
      env: {
        ...proxiedGitHubEnv(proxies, gh),
        ...proxies.plain.env({ noProxy: '.example.com,github.proxied.test', names: 'upper' }),
      },
    });
    expect(result.exitCode).toBe(1);
    expect(proxies.plain.log.slice(from)).toEqual([]);
    expect(gh.requests.total).toBe(0);
    // the lookup failed without touching the proxy: "could not verify", naming the direct request
    expect(errorOf(result)).toBe(
      `could not verify 'actions/checkout@${pinned}' (resolving its ref): ` +
        'GitHub GraphQL request to http://api.github.proxied.test/graphql got no response: getaddrinfo ENOTFOUND api.github.proxied.test. ' +
        'Check GITHUB_API_URL and the network; behind a proxy, HTTPS_PROXY/HTTP_PROXY and NO_PROXY.\n' +
        'pin-check could not verify 1 reference(s) online: a GitHub lookup failed (see the annotations)\n' +
        'Check the network and the token and run again, or accept it in the policy: severity: { could-not-verify: warning }.',
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
    const from = proxies.plain.log.length;
    const env = proxiedGitHubEnv(proxies, gh);
    const result = await runAction({
      actionDir: join(ACTIONS_DIR, 'image-bump'),
      inputs: { repository: ops.fullName, token: TOKEN, file: DEV, image: 'web=ghcr.io/acme/web:9b8c7d6' },
      env: { ...env, GITHUB_REPOSITORY: 'acme/web', ...proxies.plain.env({ names: 'lower' }) },
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
    expect(seen(proxies.plain, from, ['tunnelled'])).toEqual(viaProxy(gh));
    expect(findLeaks(result, [TOKEN])).toEqual([]);
  });

  it('goes directly to the API host when NO_PROXY lists it, which does not resolve', async () => {
    const ops = await gh.repos.create('acme/ops-direct');
    await ops.commit({ files: { [DEV]: readFileSync(join(fixture, DEV), 'utf8') }, message: 'init' });
    gh.requests.reset();
    const from = proxies.plain.log.length;
    const result = await runAction({
      actionDir: join(ACTIONS_DIR, 'image-bump'),
      inputs: { repository: ops.fullName, token: TOKEN, file: DEV, image: 'web=ghcr.io/acme/web:9b8c7d6' },
      env: {
        ...proxiedGitHubEnv(proxies, gh),
        GITHUB_REPOSITORY: 'acme/web',
        ...proxies.plain.env({ noProxy: 'api.github.proxied.test', names: 'lower' }),
      },
    });
    expect(result.exitCode).toBe(1);
    expect(proxies.plain.log.slice(from)).toEqual([]);
    expect(gh.requests.total).toBe(0);
    expect(errorOf(result)).toBe(
      'GitHub GraphQL request to http://api.github.proxied.test/graphql got no response: getaddrinfo ENOTFOUND api.github.proxied.test\n' +
        'Check GITHUB_API_URL and the network; behind a proxy, HTTPS_PROXY/HTTP_PROXY and NO_PROXY.',
    );
  });
});
