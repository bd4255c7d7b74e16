import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError, InputReader, maskSecret, type MaskSink } from '@slipway/core';
import type { PushReport, RolloutRequest } from '@slipway/argocd';
import { endpointUrl } from '@slipway/oidc/id-token';

export interface Inputs {
  mode: 'api' | 'push';
  server?: string;
  applications: string[];
  selector?: string;
  'app-namespace'?: string;
  revision: string;
  /** Milliseconds, as every duration below. */
  timeout: number;
  soak: number;
  'poll-interval': number;
  'max-poll-interval': number;
  'request-timeout': number;
  refresh?: 'normal' | 'hard';
  sync: boolean;
  'rollout-action'?: RolloutRequest;
  token?: string;
  oidc: boolean;
  'oidc-audience'?: string;
  'dex-connector-id': string;
  insecure: boolean;
  /** PEM text read from the `ca-bundle` file. */
  ca?: string;
  'github-token'?: string;
  repository?: { owner: string; repo: string };
  'accept-descendants': boolean;
  'status-context': string;
  'push-report': PushReport;
}

const APP_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const SELECTOR = /^[\w./-]+(\s*(=|==|!=)\s*[\w./-]*)?(\s*,\s*[\w./-]+(\s*(=|==|!=)\s*[\w./-]*)?)*$/;
const REVISION = /^[^\s]{1,255}$/;
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

/** Reads and validates every input; nothing here touches the network. Secrets are masked as read. */
export function getInputs(reader = new InputReader(), mask: MaskSink, workspace = process.cwd()): Inputs {
  const token = reader.string('token');
  if (token) maskSecret(token, mask);
  const githubToken = reader.string('github-token');
  if (githubToken) maskSecret(githubToken, mask);
  const mode = reader.enumeration('mode', ['api', 'push'] as const, 'api');
  const applications = reader.list('applications', {
    itemPattern: APP_NAME,
    form: 'application names (lower-case letters, digits, - and .), one per line',
  });
  const selector = reader.string('selector', {
    pattern: SELECTOR,
    form: 'a label selector such as `team=payments,env=prod`',
  });
  const duration = (name: string, fallback: number, minMs: number, maxMs: number) =>
    reader.duration(name, { default: fallback, minMs, maxMs }) as number;
  const inputs: Inputs = {
    mode,
    applications,
    revision: reader.string('revision', {
      required: true,
      pattern: mode === 'push' ? SHA : REVISION,
      form:
        mode === 'push'
          ? 'the full ops-repo commit SHA'
          : 'the ops-repo commit SHA (or a git ref without spaces)',
    }),
    timeout: duration('timeout', 600_000, 1, 6 * 3_600_000),
    soak: duration('soak', 60_000, 0, 3_600_000),
    'poll-interval': duration('poll-interval', 5_000, 1, 600_000),
    'max-poll-interval': duration('max-poll-interval', 30_000, 1, 600_000),
    'request-timeout': duration('request-timeout', 30_000, 100, 300_000),
    sync: reader.boolean('sync', false),
    oidc: reader.boolean('oidc', false),
    'dex-connector-id': reader.string('dex-connector-id') ?? 'github-actions',
    insecure: reader.boolean('insecure', false),
    'accept-descendants': reader.boolean('accept-descendants', false),
    'status-context': reader.string('status-context') ?? 'continuous-delivery/{app}',
    'push-report': reader.enumeration(
      'push-report',
      ['commit-status', 'check-run'] as const,
      'commit-status',
    ),
  };
  const refresh = reader.enumeration('refresh', ['none', 'normal', 'hard'] as const, 'none');
  if (refresh !== 'none') inputs.refresh = refresh;
  const rollout = reader.enumeration(
    'rollout-action',
    ['none', 'promote', 'promote-full', 'abort'] as const,
    'none',
  );
  if (rollout !== 'none') inputs['rollout-action'] = rollout;
  if (inputs['max-poll-interval'] < inputs['poll-interval']) {
    throw new InputError(
      'max-poll-interval',
      'is shorter than poll-interval',
      'a duration at least as long as `poll-interval`',
    );
  }
  return mode === 'push'
    ? pushInputs(reader, inputs, selector, githubToken)
    : apiInputs(reader, inputs, selector, token, githubToken, workspace);
}

/** The ops repository and a token for it (push mode, and api mode with accept-descendants). */
function opsRepository(reader: InputReader, inputs: Inputs, githubToken: string | undefined): void {
  const repository = reader.string('repository', {
    required: true,
    pattern: /^[\w.-]+\/[\w.-]+$/,
    form: 'the ops repository as owner/name',
  });
  const [owner, repo] = repository.split('/') as [string, string];
  inputs.repository = { owner, repo };
  if (!githubToken) {
    throw new InputError('github-token', 'is empty', 'a token that can read the ops repository');
  }
  inputs['github-token'] = githubToken;
}

function apiInputs(
  reader: InputReader,
  inputs: Inputs,
  selector: string | undefined,
  token: string | undefined,
  githubToken: string | undefined,
  workspace: string,
): Inputs {
  const server = reader.string('server', {
    required: true,
    form: 'the Argo CD server URL, e.g. https://argocd.example.com',
  });
  inputs.server = endpointUrl(server, 'server');
  if (inputs.applications.length === 0 && !selector) {
    throw new InputError(
      'applications',
      'and `selector` are both empty',
      'application names in `applications`, or a label selector in `selector`',
    );
  }
  if (inputs.applications.length > 0 && selector) {
    throw new InputError(
      'selector',
      'is set together with `applications`',
      'either `applications` or `selector`, not both',
    );
  }
  if (selector) inputs.selector = selector;
  const appNamespace = reader.string('app-namespace', {
    pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    form: 'a Kubernetes namespace name',
  });
  if (appNamespace) inputs['app-namespace'] = appNamespace;
  if (token && inputs.oidc) {
    throw new InputError(
      'oidc',
      'is true while `token` is set too',
      'either a `token` secret or `oidc: true`, not both',
    );
  }
  if (!token && !inputs.oidc) {
    throw new InputError(
      'token',
      'is empty and `oidc` is false',
      'an Argo CD API token in `token`, or `oidc: true` to exchange the GitHub OIDC token at Dex',
    );
  }
  if (token) inputs.token = token;
  const audience = reader.string('oidc-audience');
  if (audience) inputs['oidc-audience'] = audience;
  const caBundle = reader.string('ca-bundle');
  if (caBundle) {
    const file = isAbsolute(caBundle) ? caBundle : resolve(workspace, caBundle);
    const pem = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new InputError(
        'ca-bundle',
        `names '${caBundle}', which is not a readable PEM file`,
        'the path of a PEM file with CA certificates',
      );
    }
    inputs.ca = pem;
  }
  if (inputs['accept-descendants']) opsRepository(reader, inputs, githubToken);
  return inputs;
}

function pushInputs(
  reader: InputReader,
  inputs: Inputs,
  selector: string | undefined,
  githubToken: string | undefined,
): Inputs {
  if (selector)
    throw new InputError('selector', 'is not available in push mode', 'application names in `applications`');
  if (inputs.applications.length === 0) {
    throw new InputError(
      'applications',
      'is empty',
      'the application names whose commit statuses to wait for',
    );
  }
  opsRepository(reader, inputs, githubToken);
  if (!inputs['status-context'].includes('{app}') && inputs.applications.length > 1) {
    throw new InputError(
      'status-context',
      'has no `{app}` placeholder but there are several applications',
      'a context (or check run name) containing `{app}`',
    );
  }
  return inputs;
}
