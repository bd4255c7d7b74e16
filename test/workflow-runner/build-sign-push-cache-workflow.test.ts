/**
 * build-sign-push.yml's build job can push, sign and mint OIDC tokens, so it must restore nothing from
 * the Actions cache: any job of the default branch can write an entry, and @actions/cache unpacks a
 * restored tar into the workspace, where a member `.slipway/dist/sign/index.js` replaces the sign
 * bundle the job runs next. Here such entries sit in the Actions cache double under every key the
 * job's trivy-scan, sbom and sign steps would restore (Trivy's DB for the UTC day, and the trivy,
 * syft and cosign archives of the lock file), with the versions @actions/cache computes for their
 * paths; the job runs with the double's service env (the real @actions/cache in the bundles).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startActionsCacheDouble, type ActionsCacheDouble } from '../doubles/actions-cache/cache-server.ts';
import { startForwardProxy, type ForwardProxy } from '../doubles/forward-proxy/forward-proxy.ts';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import {
  simulatedRunner,
  startToolReleases,
  type ToolReleases,
} from '../doubles/release-assets/action-env.ts';
import { writePoisonedEntry } from './poisoned-cache.ts';
import { runWorkflowJob, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { buildPushStandIn, setupBuildxStandIn } from './stand-ins/docker-build.ts';
import { dockerLoginStandIn } from './stand-ins/docker-login.ts';
import { uploadArtifactStandIn } from './stand-ins/upload-artifact.ts';
import { uploadSarifStandIn } from './stand-ins/upload-sarif.ts';
import { slipwayAtHead } from './local-repos.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('build-sign-push.yml');
const GHCR = 'ghcr.io';
const SIGN_BUNDLE = '.slipway/dist/sign/index.js';
// the sign launcher starts the actions' shared bundle, whose entry is the other file worth replacing
const SHARED_ENTRY = '.slipway/dist/shared/index.js';
const POISON = "console.log('poisoned sign bundle ran'); process.exit(0);\n";

let registry: RegistryServer;
let tools: ToolReleases;
let proxy: ForwardProxy;
let cache: ActionsCacheDouble;

beforeAll(async () => {
  [registry, tools, proxy, cache] = await Promise.all([
    startRegistry(),
    startToolReleases(),
    startForwardProxy(),
    startActionsCacheDouble({ keepAliveTimeoutMs: 1000 }),
  ]);
  proxy.route(GHCR, Number(registry.host.split(':')[1]));
  // the Azure SDK (cache uploads) sends even loopback URLs through the proxy
  proxy.route(`127.0.0.1:${new URL(cache.url).port}`, Number(new URL(cache.url).port));
});
afterAll(async () => {
  await Promise.all([registry?.stop(), tools?.server.close(), proxy?.close(), cache?.close()]);
});

const github: RunWorkflowJobOptions['github'] = {
  repository: 'Acme/Web',
  sha: 'c0ffee0000000000000000000000000000000005',
  ref: 'refs/heads/main',
  token: 'ghs_buildsignpushcachetoken0000000001',
  actor: 'octocat',
  workflowRepository: 'slipway-org/slipway',
  workflowSha: slipway.sha,
};

/** The keys and paths the job's actions restore on a runner whose RUNNER_TEMP is `temp`. */
function restoredEntries(temp: string): { key: string; paths: string[] }[] {
  const lock = JSON.parse(readFileSync(tools.lockPath, 'utf8')) as {
    tools: Record<
      string,
      { version: string; versions: Record<string, Record<string, { asset: string; sha256: string }>> }
    >;
  };
  const platform = `linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;
  const archives = ['trivy', 'syft', 'cosign'].map((tool) => {
    const { version, versions } = lock.tools[tool]!;
    const { asset, sha256 } = versions[version]![platform]!;
    return {
      key: `slipway-tool-${tool}-${version}-${platform}-${sha256}`,
      paths: [join(temp, 'slipway-tools', `${tool}-${version}-${platform}`, asset)],
    };
  });
  const day = new Date().toISOString().slice(0, 10);
  return [{ key: `slipway-trivy-db-${day}`, paths: [join(temp, 'slipway-trivy', 'db')] }, ...archives];
}

describe('build-sign-push.yml: the signing job restores nothing from the Actions cache', () => {
  it('entries that would overwrite the sign bundle are never requested; the real bundle signs', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'leg-temp-'));
    for (const entry of restoredEntries(temp))
      await writePoisonedEntry(cache, {
        ...entry,
        members: { [SIGN_BUNDLE]: POISON, [SHARED_ENTRY]: POISON },
      });
    expect(cache.entries()).toHaveLength(4);
    cache.resetCounters();

    const inputs = { apps: '[{"name":"api"}]', registry: `${GHCR}/acme`, 'fail-on': 'none' };
    const plan = await runWorkflowJob({ workflow, job: 'plan', inputs, github });
    expect(plan.conclusion).toBe('success');
    const runner = simulatedRunner(tools);
    const leg = await runWorkflowJob({
      workflow,
      job: 'build',
      inputs,
      github,
      matrix: { app: (JSON.parse(plan.outputs.apps!) as Record<string, string>[])[0]! },
      needs: { plan: { result: 'success', outputs: plan.outputs } },
      // the runner's Actions cache service is there (as on GitHub); the on-disk override is not
      runnerEnv: {
        ...runner.env({ RUNNER_TEMP: temp, SLIPWAY_CACHE_DIR: '' }),
        ...proxy.env(),
        ...(await cache.env()),
      },
      standIns: {
        'actions/checkout': checkoutStandIn({ 'slipway-org/slipway': slipway.dir }).standIn,
        'docker/login-action': dockerLoginStandIn().standIn,
        'docker/setup-buildx-action': setupBuildxStandIn(),
        'docker/build-push-action': buildPushStandIn(registry, { names: [GHCR] }).standIn,
        'github/codeql-action/upload-sarif': uploadSarifStandIn().standIn,
        'actions/upload-artifact': uploadArtifactStandIn().standIn,
      },
    });

    // the sign bundle in the job's workspace is the committed one, and it is what ran
    const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(sha256(join(leg.workspace, SIGN_BUNDLE))).toBe(sha256(join(slipway.dir, 'dist/sign/index.js')));
    expect(sha256(join(leg.workspace, SHARED_ENTRY))).toBe(sha256(join(slipway.dir, 'dist/shared/index.js')));
    expect(leg.rawLog).not.toContain('poisoned sign bundle ran');
    expect(leg.conclusion).toBe('success');
    const cosign = runner
      .calls()
      .filter((c) => c.tool === 'cosign' && ['sign', 'attest'].includes(c.argv[0]!));
    // the SBOM attestation and the gate-policy attestation
    expect(cosign.map((c) => c.argv[0])).toEqual(['sign', 'attest', 'attest']);
    // no lookup and no download: the cache service saw nothing from this job
    expect(cache.requests.map((r) => r.operation)).toEqual([]);
    expect(cache.bytes.downloaded).toBe(0);
  }, 300_000);
});
