/**
 * deploy-gate.yml's verify job can mint OIDC tokens and decides what gets deployed, so, like
 * build-sign-push's build job, it restores nothing from the Actions cache: an entry under the cosign
 * archive's key (the one its verify steps would restore) carries `.slipway/dist/verify/index.js`,
 * which would make both verifications "pass" without cosign. See poisoned-cache.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startActionsCacheDouble, type ActionsCacheDouble } from '../doubles/actions-cache/cache-server.ts';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import { simulatedRunner, type ToolReleases } from '../doubles/release-assets/action-env.ts';
import { writePoisonedEntry } from './poisoned-cache.ts';
import { runWorkflowJob } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { dockerLoginStandIn } from './stand-ins/docker-login.ts';
import { startVouchingCosignReleases } from './vouching-cosign.ts';
import { slipwayAtHead } from './local-repos.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('deploy-gate.yml');
const VERIFY_BUNDLE = '.slipway/dist/verify/index.js';
// the verify launcher starts the actions' shared bundle, whose entry is the other file worth replacing
const SHARED_ENTRY = '.slipway/dist/shared/index.js';
const POISON = "console.log('poisoned verify bundle ran'); process.exit(0);\n";

let registry: RegistryServer;
let cosign: ToolReleases;
let cache: ActionsCacheDouble;

beforeAll(async () => {
  [registry, cosign, cache] = await Promise.all([
    startRegistry(),
    startVouchingCosignReleases(),
    startActionsCacheDouble({ keepAliveTimeoutMs: 1000 }),
  ]);
});
afterAll(async () => {
  await Promise.all([registry?.stop(), cosign?.server.close(), cache?.close()]);
});

describe('deploy-gate.yml: the verify job restores nothing from the Actions cache', () => {
  it('an entry that would replace the verify bundle is never requested; cosign verifies', async () => {
    const runner = simulatedRunner(cosign);
    const temp = join(runner.root, 'temp');
    const lock = JSON.parse(readFileSync(cosign.lockPath, 'utf8')) as {
      tools: {
        cosign: {
          version: string;
          versions: Record<string, Record<string, { asset: string; sha256: string }>>;
        };
      };
    };
    const platform = `linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;
    const { version, versions } = lock.tools.cosign;
    const { asset, sha256 } = versions[version]![platform]!;
    await writePoisonedEntry(cache, {
      key: `slipway-tool-cosign-${version}-${platform}-${sha256}`,
      paths: [join(temp, 'slipway-tools', `cosign-${version}-${platform}`, asset)],
      members: { [VERIFY_BUNDLE]: POISON, [SHARED_ENTRY]: POISON },
    });
    cache.resetCounters();

    const image = `${registry.host}/acme/web@${await registry.pushImage('acme/web', 'v1')}`;
    const result = await runWorkflowJob({
      workflow,
      job: 'verify',
      // this image has no Sigstore bundles for the native check of the ID constraints: lifted here,
      // the vouching cosign stands for the signature (the constraints are tested in deploy-gate-workflow)
      inputs: { image, 'source-repository-id': '*', 'source-repository-owner-id': '*' },
      github: {
        repository: 'acme/web',
        sha: 'c0ffee0000000000000000000000000000000006',
        ref: 'refs/heads/main',
        event: { repository: { default_branch: 'main' } },
        token: 'ghs_deploygatecachetoken00000000000001',
        workflowRepository: 'slipway-org/slipway',
        workflowSha: slipway.sha,
      },
      // the runner's Actions cache service is there (as on GitHub); the on-disk override is not
      runnerEnv: { ...runner.env({ SLIPWAY_CACHE_DIR: '' }), ...(await cache.env()) },
      standIns: {
        'actions/checkout': checkoutStandIn({ 'slipway-org/slipway': slipway.dir }).standIn,
        'docker/login-action': dockerLoginStandIn().standIn,
      },
    });

    const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(hash(join(result.workspace, VERIFY_BUNDLE))).toBe(hash(join(slipway.dir, 'dist/verify/index.js')));
    expect(hash(join(result.workspace, SHARED_ENTRY))).toBe(hash(join(slipway.dir, 'dist/shared/index.js')));
    expect(result.rawLog).not.toContain('poisoned verify bundle ran');
    expect(result.conclusion).toBe('success');
    const verified = runner.calls().filter((c) => c.tool === 'cosign' && c.argv[0]?.startsWith('verify'));
    expect(verified.map((c) => c.argv[0])).toEqual(['verify', 'verify-attestation', 'verify-attestation']);
    expect(cache.requests.map((r) => r.operation)).toEqual([]);
  }, 180_000);
});
