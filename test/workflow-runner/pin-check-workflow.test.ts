/**
 * .github/workflows/pin-check.yml, job pin-check, run locally step by step: the caller's
 * repository and Slipway (at HEAD: the committed action.yml and dist/pin-check bundle) are
 * checked out by the checkout stand-in from local git repositories, pin-check runs through the
 * harness, and the SARIF reaches the upload-sarif stand-in.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findJobLeaks } from './job-leaks.ts';
import { runWorkflowJob, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { uploadSarifStandIn } from './stand-ins/upload-sarif.ts';
import { repoWithFiles, slipwayAtHead } from './local-repos.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('pin-check.yml');
const TOKEN = 'ghs_pincheckjobtoken000000000000000000001';
const CHECKOUT_SHA = '3d3c42e5aac5ba805825da76410c181273ba90b1';
const ci = (ref: string) =>
  `name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@${ref}\n`;

function pinCheck(
  files: Record<string, string>,
  inputs: RunWorkflowJobOptions['inputs'] = {},
  secrets: RunWorkflowJobOptions['secrets'] = {},
) {
  const caller = repoWithFiles(files);
  const checkout = checkoutStandIn({ 'acme/web': caller.dir, 'slipway-org/slipway': slipway.dir });
  const sarif = uploadSarifStandIn();
  const run = runWorkflowJob({
    workflow,
    job: 'pin-check',
    inputs,
    secrets,
    github: {
      repository: 'acme/web',
      sha: caller.sha,
      ref: 'refs/heads/main',
      token: TOKEN,
      eventName: 'push',
      workflowRepository: 'slipway-org/slipway',
      workflowSha: slipway.sha,
    },
    standIns: {
      'actions/checkout': checkout.standIn,
      'github/codeql-action/upload-sarif': sarif.standIn,
    },
  });
  return { run, caller, checkout, sarif };
}

const outcomes = (result: Awaited<ReturnType<typeof runWorkflowJob>>) =>
  result.steps.map((s) => `${s.outcome} ${s.name}`);

describe('pin-check.yml (local runner)', () => {
  it('fails on an unpinned action with the annotation on file/line, after handing the SARIF to code scanning', async () => {
    const { run, caller, checkout, sarif } = pinCheck({ '.github/workflows/ci.yml': ci('v4') });
    const result = await run;
    expect(result.conclusion).toBe('failure');
    expect(outcomes(result)).toEqual([
      'success Check out the repository under test',
      "success Check that this workflow's own commit is known",
      "success Check out Slipway's actions at this workflow's commit",
      'success Check the path input',
      'success Find unpinned references',
      'success Upload the findings to code scanning',
      'failure Fail on findings at error severity',
    ]);
    expect(result.annotations.map(({ step, ...a }) => ({ step, ...a }))).toEqual([
      {
        step: 'Find unpinned references',
        level: 'error',
        message:
          "uses 'actions/checkout@v4' is not pinned to a commit SHA: 'v4' is a tag or branch, which can be moved",
        file: '.github/workflows/ci.yml',
        line: 7,
        col: 15,
        title: 'pin-check: unpinned-action',
      },
      {
        step: 'Fail on findings at error severity',
        level: 'error',
        message:
          'pin-check found 1 unpinned reference(s) at error severity; see the code scanning alerts, or run pin-check with fix: true',
      },
      {
        step: 'Fail on findings at error severity',
        level: 'error',
        message: 'Process completed with exit code 1.',
      },
    ]);
    // the action got what the workflow wired: the checked-out caller, the SARIF in the workspace, no failing
    const check = result.steps[4]!;
    expect(check.kind).toBe('local-action');
    // runs.using node24: the bundle ran on Node 24, as on GitHub
    expect(execFileSync(check.node!, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
    expect(check.with).toEqual({
      path: 'source/.',
      ignore: '',
      'sarif-file': 'pin-check.sarif',
      'fail-on-findings': 'false',
      online: 'false',
      fix: 'false',
      update: 'false',
      major: 'false',
      token: TOKEN,
      cache: 'true',
      'cache-ttl': '24h',
    });
    expect(check.outputs).toEqual({
      findings: '1',
      errors: '1',
      fixed: '0',
      report: join(result.workspace, 'pin-check.sarif'),
    });
    expect(result.outputs).toEqual({ findings: '1' });
    expect(result.workflowOutputs).toEqual({ findings: '1' });

    // code scanning gets the SARIF with paths that resolve under checkout_path
    expect(sarif.uploads).toHaveLength(1);
    const [upload] = sarif.uploads;
    expect(upload!.files).toEqual([join(result.workspace, 'pin-check.sarif')]);
    expect(upload!.checkoutPath).toBe(join(result.workspace, 'source'));
    expect(upload!.category).toBe('slipway-pin-check');
    const uris = upload!.sarif[0]!.runs![0]!.results!.map(
      (r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri!,
    );
    expect(uris).toEqual(['.github/workflows/ci.yml']);
    expect(existsSync(join(upload!.checkoutPath, uris[0]!))).toBe(true);

    // both checkouts: the caller at github.sha, Slipway at job.workflow_sha (sparse), no credentials kept
    expect(checkout.calls.map(({ token, ...c }) => ({ ...c, token: token === TOKEN }))).toEqual([
      {
        repository: 'acme/web',
        ref: caller.sha,
        commit: caller.sha,
        path: join(result.workspace, 'source'),
        sparse: [],
        persistCredentials: false,
        token: true,
      },
      {
        repository: 'slipway-org/slipway',
        ref: slipway.sha,
        commit: slipway.sha,
        path: join(result.workspace, '.slipway'),
        sparse: ['actions', 'dist'],
        persistCredentials: false,
        token: true,
      },
    ]);
    expect(readFileSync(join(result.workspace, '.slipway', '.git', 'config'), 'utf8')).not.toContain(
      'extraheader',
    );
    expect(existsSync(join(result.workspace, '.slipway', 'packages'))).toBe(false);
    expect(findJobLeaks(result, [TOKEN])).toEqual([]);
    expect(result.warnings).toEqual([]);
  }, 60_000);

  it('passes on a repository whose actions are pinned, and still uploads the (empty) SARIF', async () => {
    const { run, sarif } = pinCheck({
      '.github/workflows/ci.yml': ci(`${CHECKOUT_SHA} # v7.0.1`),
    });
    const result = await run;
    expect(result.annotations).toEqual([]);
    expect(result.conclusion).toBe('success');
    expect(result.outputs).toEqual({ findings: '0' });
    expect(sarif.uploads).toHaveLength(1);
    expect(sarif.uploads[0]!.sarif[0]!.runs![0]!.results).toEqual([]);
  }, 60_000);

  it('reports without failing when fail-on-findings is false (a boolean input, compared through format())', async () => {
    const { run, sarif } = pinCheck({ '.github/workflows/ci.yml': ci('v4') }, { 'fail-on-findings': false });
    const result = await run;
    expect(result.conclusion).toBe('success');
    expect(result.steps.map((s) => s.outcome)).toEqual(Array(7).fill('success'));
    expect(result.workflowOutputs).toEqual({ findings: '1' });
    expect(sarif.uploads).toHaveLength(1);
  }, 60_000);

  it('leaves out ignored files and checks only path', async () => {
    const { run } = pinCheck(
      {
        'svc/.github/workflows/ci.yml': ci('v4'),
        'svc/.github/workflows/fixture.yml': ci('main'),
        '.github/workflows/root.yml': ci('v3'),
      },
      { path: 'svc', ignore: '.github/workflows/fixture.yml' },
    );
    const result = await run;
    expect(result.steps[4]!.with.path).toBe('source/svc');
    expect(result.annotations.filter((a) => a.file).map((a) => `${a.file}:${a.line}:${a.col}`)).toEqual([
      'svc/.github/workflows/ci.yml:7:15',
    ]);
    expect(result.outputs).toEqual({ findings: '1' });
  }, 60_000);

  it('refuses a path outside the repository before running pin-check, and uploads nothing', async () => {
    const { run, sarif } = pinCheck({ '.github/workflows/ci.yml': ci('v4') }, { path: 'a/../../etc' });
    const result = await run;
    expect(result.conclusion).toBe('failure');
    expect(outcomes(result).slice(3)).toEqual([
      'failure Check the path input',
      'skipped Find unpinned references',
      'skipped Upload the findings to code scanning',
      'skipped Fail on findings at error severity',
    ]);
    expect(result.annotations.map((a) => a.message)).toEqual([
      "input 'path' must be a folder inside the repository, relative to its root",
      'Process completed with exit code 1.',
    ]);
    expect(sarif.uploads).toEqual([]);
    expect(result.workflowOutputs).toEqual({ findings: '' });
  }, 60_000);

  it('rejects the call like GitHub: an unknown input, a wrongly typed one', async () => {
    await expect(pinCheck({ 'README.md': 'x\n' }, { paht: '.' }).run).rejects.toThrow(
      'Invalid input, paht is not defined in the referenced workflow.',
    );
    await expect(pinCheck({ 'README.md': 'x\n' }, { 'fail-on-findings': 'false' }).run).rejects.toThrow(
      'The input \'fail-on-findings\' is declared as type boolean; the caller passed a string ("false").',
    );
  });

  it('checks Slipway out with slipway-token when the caller passes one (a private copy), the caller with the job token', async () => {
    const SLIPWAY_TOKEN = 'github_pat_slipwayreadonly00000000000000000001';
    const { run, checkout } = pinCheck(
      { '.github/workflows/ci.yml': ci(`${CHECKOUT_SHA} # v7.0.1`) },
      {},
      { 'slipway-token': SLIPWAY_TOKEN },
    );
    const result = await run;
    expect(result.conclusion).toBe('success');
    expect(checkout.calls.map((c) => [c.repository, c.token, c.persistCredentials])).toEqual([
      ['acme/web', TOKEN, false],
      ['slipway-org/slipway', SLIPWAY_TOKEN, false],
    ]);
    expect(readFileSync(join(result.workspace, '.slipway', '.git', 'config'), 'utf8')).not.toContain(
      'extraheader',
    );
    expect(findJobLeaks(result, [TOKEN, SLIPWAY_TOKEN])).toEqual([]);
  }, 60_000);

  it('on its weekly schedule (no inputs: the fallbacks apply) it passes on Slipway itself at HEAD', async () => {
    const checkout = checkoutStandIn({ 'slipway-org/slipway': slipway.dir });
    const sarif = uploadSarifStandIn();
    const result = await runWorkflowJob({
      workflow,
      job: 'pin-check',
      trigger: 'schedule',
      github: {
        repository: 'slipway-org/slipway',
        sha: slipway.sha,
        ref: 'refs/heads/main',
        token: TOKEN,
        workflowRepository: 'slipway-org/slipway',
        workflowSha: slipway.sha,
      },
      standIns: { 'actions/checkout': checkout.standIn, 'github/codeql-action/upload-sarif': sarif.standIn },
    });
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(result.conclusion).toBe('success');
    expect(result.runsOn).toBe('ubuntu-24.04');
    expect(result.steps[3]!.env).toEqual({ SCANNED: '.' });
    expect(result.steps[4]!.with).toMatchObject({ path: 'source/.', ignore: '' });
    expect(result.steps[6]!.env).toEqual({ ERRORS: '0', FAIL_ON_FINDINGS: 'true' });
    expect(checkout.calls.map((c) => [c.repository, c.commit, c.path.endsWith('/source')])).toEqual([
      ['slipway-org/slipway', slipway.sha, true],
      ['slipway-org/slipway', slipway.sha, false],
    ]);
    expect(sarif.uploads).toHaveLength(1);
    expect(result.workflowOutputs).toEqual({});
  }, 120_000);
});
