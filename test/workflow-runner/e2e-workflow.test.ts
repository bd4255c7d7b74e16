/**
 * .github/workflows/e2e.yml, run locally for its job that needs no real tools and no network:
 * `pin-check` (pin-check on this repository at HEAD, then on a generated unpinned workflow). The
 * checkout stand-in checks out this repository at HEAD, so the committed action.yml files and
 * bundles run. `inputs-fail-before-network` uses oidc-login, whose post step the local runner
 * cannot place at the end of the job (it refuses, see README); the other e2e jobs need GitHub
 * itself (real trivy/syft/cosign, a registry:2 service, OIDC, GHCR).
 */
import { describe, expect, it } from 'vitest';
import { runWorkflowJob } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { slipwayAtHead } from './local-repos.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('e2e.yml');

function e2eJob(job: string) {
  const checkout = checkoutStandIn({ 'slipway-org/slipway': slipway.dir });
  const run = runWorkflowJob({
    workflow,
    job,
    trigger: 'workflow_dispatch',
    github: {
      repository: 'slipway-org/slipway',
      sha: slipway.sha,
      ref: 'refs/heads/main',
      token: 'ghs_e2ejobtoken00000000000000000000000001',
      eventName: 'workflow_dispatch',
      workflowRepository: 'slipway-org/slipway',
      workflowSha: slipway.sha,
    },
    standIns: { 'actions/checkout': checkout.standIn },
  });
  return { run, checkout };
}

const outcomes = (result: Awaited<ReturnType<typeof runWorkflowJob>>) =>
  result.steps.map((s) => `${s.outcome}/${s.conclusion} ${s.name}`);

describe('e2e.yml (local runner)', () => {
  it('pin-check: this repository has no findings, the generated unpinned workflow has exactly one', async () => {
    const { run, checkout } = e2eJob('pin-check');
    const result = await run;
    expect(outcomes(result)).toEqual([
      'success/success actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
      'success/success pin-check passes on this repository (workflows and action.yml files)',
      'success/success Write a workflow with an unpinned action',
      'failure/success pin-check fails on the unpinned workflow (expected failure)',
      'success/success Check the outcomes',
    ]);
    expect(result.conclusion).toBe('success');
    expect(checkout.calls).toHaveLength(1);
  }, 180_000);
});
