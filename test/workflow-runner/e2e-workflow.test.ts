/**
 * .github/workflows/e2e.yml, run locally for its job that needs no real tools and no network:
 * `pin-check` (pin-check on this repository at HEAD, then on a generated unpinned workflow). The
 * checkout stand-in checks out this repository at HEAD, so the committed action.yml files and
 * bundles run; and `inputs-fail-before-network` (oidc-login and image-bump refusing bad inputs,
 * oidc-login's post step at the end of the job). The other e2e jobs need GitHub itself (real
 * trivy/syft/cosign, a registry:2 service, OIDC, GHCR).
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

  it('inputs-fail-before-network: oidc-login and image-bump fail on their inputs, the check passes', async () => {
    const { run, checkout } = e2eJob('inputs-fail-before-network');
    const result = await run;
    expect(outcomes(result)).toEqual([
      'success/success actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
      'failure/success oidc-login with an unknown provider (expected failure)',
      'failure/success image-bump with a malformed repository (expected failure)',
      'success/success Check the outcomes',
      // main saved its post flag before failing: post runs (always()), with nothing to remove
      'success/success Post oidc-login with an unknown provider (expected failure)',
    ]);
    expect(result.conclusion).toBe('success');
    expect(checkout.calls).toHaveLength(1);
    // no id-token permission: the job never had the OIDC request variables
    expect(result.permissions).toEqual({ contents: 'read' });
    expect(result.annotations.map((a) => [a.step, a.level])).toEqual([
      ['oidc-login with an unknown provider (expected failure)', 'error'],
      ['image-bump with a malformed repository (expected failure)', 'error'],
    ]);
    expect(result.annotations.map((a) => a.message)).toEqual([
      "Input 'provider' has the value 'not-a-cloud'. Expected one of: aws, gcp, azure.",
      "Input 'repository' has the value 'not a repository', which is not valid. Expected `owner/name`.",
    ]);
    expect(result.steps.at(-1)!.log).toBe('');
  }, 180_000);
});
