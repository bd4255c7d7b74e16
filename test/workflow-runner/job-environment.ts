/**
 * The machine a job runs on, as the local runner sets it up: fresh workspace, HOME,
 * RUNNER_TEMP and tool cache folders (RUNNER_TEMP / RUNNER_TOOL_CACHE from the test's
 * runnerEnv when it simulates a runner that keeps them), the `github` context, and the
 * environment every step starts from (GITHUB_* from that context, RUNNER_*, and the
 * OIDC request variables only when the job's permissions grant `id-token: write`).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExpressionValue } from '../harness/expressions.ts';
import type { RunWorkflowJobOptions } from './run-workflow-job.ts';

export interface JobEnvironment {
  github: Record<string, ExpressionValue>;
  runnerEnv: Record<string, string>;
  workspace: string;
  home: string;
  runnerTemp: string;
  toolCache: string;
  /** Whether the job may request an OIDC token (permissions id-token: write). */
  idToken: boolean;
}

export function prepareJobEnvironment(options: RunWorkflowJobOptions, permissions: unknown): JobEnvironment {
  const gh = options.github;
  const serverUrl = gh.serverUrl ?? 'https://github.com';
  const apiUrl = gh.apiUrl ?? 'https://api.github.com';
  const root = mkdtempSync(join(tmpdir(), 'slipway-job-'));
  const workspace = join(root, 'work', gh.repository.split('/')[1] ?? 'repo');
  const home = join(root, 'home');
  const runnerTemp = options.runnerEnv?.RUNNER_TEMP ?? join(root, 'temp');
  const toolCache = options.runnerEnv?.RUNNER_TOOL_CACHE ?? join(root, 'tool-cache');
  for (const dir of [workspace, home, runnerTemp, toolCache]) mkdirSync(dir, { recursive: true });
  const eventPath = join(root, 'event.json');
  writeFileSync(eventPath, JSON.stringify(gh.event ?? {}));

  const github: Record<string, ExpressionValue> = {
    repository: gh.repository,
    repository_owner: gh.repository.split('/')[0] ?? '',
    repository_id: gh.repositoryId ?? '100000001',
    repository_owner_id: gh.repositoryOwnerId ?? '200000001',
    sha: gh.sha,
    ref: gh.ref,
    ref_name: gh.ref.replace(/^refs\/(heads|tags)\//, ''),
    token: gh.token,
    server_url: serverUrl,
    api_url: apiUrl,
    graphql_url: gh.graphqlUrl ?? `${apiUrl}/graphql`,
    event_name:
      gh.eventName ?? (options.trigger && options.trigger !== 'workflow_call' ? options.trigger : 'push'),
    event: gh.event ?? {},
    event_path: eventPath,
    actor: gh.actor ?? 'octocat',
    triggering_actor: gh.actor ?? 'octocat',
    run_id: gh.runId ?? '1000001',
    run_number: '7',
    run_attempt: '1',
    job: options.job,
    workspace,
  };
  const idToken =
    permissions === 'write-all' ||
    (typeof permissions === 'object' && (permissions as Record<string, string>)['id-token'] === 'write');
  const runnerEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: toolCache,
    ...options.runnerEnv,
    ...(idToken && options.oidc
      ? {
          ACTIONS_ID_TOKEN_REQUEST_URL: options.oidc.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: options.oidc.requestToken,
        }
      : {}),
    ...Object.fromEntries(
      Object.entries(github)
        .filter(([key, value]) => typeof value === 'string' && !['token', 'event'].includes(key))
        .map(([key, value]) => [`GITHUB_${key.toUpperCase()}`, value as string]),
    ),
  };
  return { github, runnerEnv, workspace, home, runnerTemp, toolCache, idToken };
}
