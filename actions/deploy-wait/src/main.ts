import * as core from '@actions/core';
import {
  ArgoCdClient,
  DexTokenSource,
  descendantCheck,
  failureLines,
  pushSummary,
  staticTokenSource,
  statusContextFor,
  waitForApplications,
  waitForCommitStatuses,
  waitSummary,
  type TokenSource,
} from '@slipway/argocd';
import {
  InputReader,
  UserError,
  actionsCoreMask,
  actionsSummaryWriter,
  createHttpTransport,
  run,
} from '@slipway/core';
import { createGitHub, type GitHub } from '@slipway/github';
import { idTokenRequestEnv } from '@slipway/oidc/id-token';
import { getInputs, type Inputs } from './inputs.ts';

export default async function main(): Promise<void> {
  await run(deployWait);
}

async function deployWait(): Promise<void> {
  const inputs = getInputs(new InputReader(), actionsCoreMask, process.env.GITHUB_WORKSPACE ?? process.cwd());
  if (inputs.mode === 'push') return pushMode(inputs);
  const server = inputs.server!;
  const http = createHttpTransport({
    userAgent: 'slipway-deploy-wait',
    timeoutMs: inputs['request-timeout'],
    tls: { insecure: inputs.insecure, ...(inputs.ca ? { ca: inputs.ca } : {}) },
  });
  const auth: TokenSource = inputs.token
    ? staticTokenSource(inputs.token)
    : new DexTokenSource({
        server,
        http,
        idTokenRequest: idTokenRequestEnv(process.env, actionsCoreMask),
        audience: inputs['oidc-audience'] ?? server,
        connectorId: inputs['dex-connector-id'],
        mask: actionsCoreMask,
      });
  const client = new ArgoCdClient({
    server,
    http,
    auth,
    ...(inputs['app-namespace'] ? { appNamespace: inputs['app-namespace'] } : {}),
  });
  let applications = inputs.applications;
  if (inputs.selector) {
    const found = await client.listApplications(inputs.selector);
    applications = found.map((app) => app.metadata?.name ?? '').filter(Boolean);
    if (applications.length === 0) {
      throw new UserError(`No Argo CD application matches the selector '${inputs.selector}'.`, {
        hint: 'Check the labels on the Application resources, and `app-namespace`.',
      });
    }
    core.info(`selector ${inputs.selector}: ${applications.join(', ')}`);
  }
  const results = await waitForApplications({
    client,
    applications,
    revision: inputs.revision,
    timeoutMs: inputs.timeout,
    soakMs: inputs.soak,
    pollMs: inputs['poll-interval'],
    maxPollMs: inputs['max-poll-interval'],
    ...(inputs.refresh ? { refresh: inputs.refresh } : {}),
    sync: inputs.sync,
    ...(inputs['rollout-action'] ? { rollout: inputs['rollout-action'] } : {}),
    ...(inputs['accept-descendants']
      ? {
          isDescendant: descendantCheck(
            githubClient(inputs),
            inputs.repository!.owner,
            inputs.repository!.repo,
            inputs.revision,
          ),
        }
      : {}),
    log: (line) => core.info(line),
  });
  await actionsSummaryWriter(waitSummary(server, inputs.revision, results));
  const failed = results.filter((r) => r.outcome !== 'healthy');
  core.setOutput(
    'result',
    failed.find((r) => r.outcome === 'failed')?.outcome ?? failed[0]?.outcome ?? 'healthy',
  );
  core.setOutput('applications', JSON.stringify(results));
  core.setOutput('requests', String(client.requests));
  core.info(`${client.requests} Argo CD requests (${client.notModified} answered 304 Not Modified)`);
  if (failed.length > 0) {
    throw new UserError(`Not deployed at ${inputs.revision}:\n${failureLines(results).join('\n')}`);
  }
}

/** The one GitHub client, endpoints from the runner; it counts its requests. */
function githubClient(inputs: Inputs): GitHub {
  return createGitHub({ token: inputs['github-token']!, log: (line) => core.info(line) });
}

async function pushMode(inputs: Inputs): Promise<void> {
  const github = githubClient(inputs);
  const { owner, repo } = inputs.repository!;
  const report = inputs['push-report'];
  const results = await waitForCommitStatuses({
    github,
    report,
    owner,
    repo,
    revision: inputs.revision,
    contexts: inputs.applications.map((application) => ({
      application,
      context: statusContextFor(inputs['status-context'], application),
    })),
    timeoutMs: inputs.timeout,
    pollMs: inputs['poll-interval'],
    maxPollMs: inputs['max-poll-interval'],
    log: (line) => core.info(line),
  });
  await actionsSummaryWriter(pushSummary(`${owner}/${repo}`, inputs.revision, results, report));
  const failed = results.filter((r) => r.outcome !== 'healthy');
  core.setOutput(
    'result',
    failed.find((r) => r.outcome === 'failed')?.outcome ?? failed[0]?.outcome ?? 'healthy',
  );
  core.setOutput('applications', JSON.stringify(results));
  core.setOutput('requests', String(github.requests()));
  if (failed.length > 0) {
    const noun = report === 'check-run' ? 'check run' : 'status';
    const lines = failed.map(
      (r) =>
        `${r.application}: ${noun} '${r.context}' is ${r.state}${r.description ? `: ${r.description}` : ''}`,
    );
    throw new UserError(`Not deployed at ${owner}/${repo}@${inputs.revision}:\n${lines.join('\n')}`);
  }
}
