import { InputError, InputReader, maskSecret } from '@slipway/core';
import {
  changeFrom,
  checkTemplate,
  INPUT_VARIABLES,
  inputNaming,
  parseChanges,
  PLAN_VARIABLES,
  type BumpChange,
  type MergeMethod,
} from '@slipway/gitops';

export interface Inputs {
  changes: BumpChange[];
  owner: string;
  repo: string;
  token: string;
  base: string | undefined;
  branch: string;
  'commit-message': string;
  'pr-title': string;
  'pr-body': string;
  labels: string[];
  reviewers: string[];
  'team-reviewers': string[];
  assignees: string[];
  draft: boolean;
  'auto-merge': MergeMethod | undefined;
  direct: boolean;
  'commit-api': 'graphql' | 'rest';
  'retry-timeout': number;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const TEAM = /^[A-Za-z0-9_.-]+$/;
const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
const BRANCH = /^[^\s~^:?*[\\]+$/;

/** Reads and validates every input; nothing touches the network before this returns. */
export function getInputs(reader = new InputReader(), env: NodeJS.ProcessEnv = process.env): Inputs {
  const token = reader.string('token', {
    required: true,
    form: 'a token with contents: write and pull-requests: write on the ops repository',
  });
  maskSecret(token);
  const repository =
    reader.string('repository', { pattern: REPOSITORY, form: '`owner/name`' }) ?? env.GITHUB_REPOSITORY;
  if (!repository || !REPOSITORY.test(repository)) {
    throw new InputError('repository', 'is not set and GITHUB_REPOSITORY is empty', '`owner/name`');
  }
  const [owner, repo] = repository.split('/') as [string, string];
  const all = [...INPUT_VARIABLES, ...PLAN_VARIABLES];
  const template = (name: string, allowed: readonly string[]) => {
    const value = reader.string(name, { required: true, form: 'a template' });
    checkTemplate(name, value, allowed);
    return value;
  };
  return {
    changes: readChanges(reader),
    owner,
    repo,
    token,
    base: reader.string('base', { pattern: BRANCH, form: 'a branch name' }),
    branch: template('branch', INPUT_VARIABLES),
    'commit-message': template('commit-message', all),
    'pr-title': template('pr-title', all),
    'pr-body': template('pr-body', all),
    labels: reader.list('labels'),
    reviewers: reader.list('reviewers', { itemPattern: LOGIN, form: 'GitHub user names' }),
    'team-reviewers': reader.list('team-reviewers', {
      itemPattern: TEAM,
      form: 'team slugs without the organization',
    }),
    assignees: reader.list('assignees', { itemPattern: LOGIN, form: 'GitHub user names' }),
    draft: reader.boolean('draft', false),
    'auto-merge': reader.enumeration('auto-merge', ['squash', 'merge', 'rebase'] as const),
    direct: reader.boolean('direct', false),
    'commit-api': reader.enumeration('commit-api', ['graphql', 'rest'] as const, 'graphql'),
    'retry-timeout': reader.duration('retry-timeout', { default: 300_000, minMs: 1_000, maxMs: 3_600_000 })!,
  };
}

function readChanges(reader: InputReader): BumpChange[] {
  const changes = reader.string('changes');
  const files = reader.list('file');
  const image = reader.string('image');
  const path = reader.string('path');
  const value = reader.string('value');
  const create = reader.boolean('create', false);
  const key = reader.string('key');
  if (changes !== undefined) {
    if (files.length > 0 || image !== undefined || path !== undefined) {
      throw new InputError(
        'changes',
        'is set together with `file`/`image`/`path`',
        'either `changes`, or `file` with `image` or `path` and `value`',
      );
    }
    return parseChanges(changes);
  }
  if (files.length === 0) {
    throw new InputError('file', 'is required when `changes` is not set', 'one or more repository paths');
  }
  if (image === undefined && path === undefined) {
    throw new InputError(
      'image',
      'is required when neither `changes` nor `path` is set',
      'an image such as `web=ghcr.io/acme/web:1.4.2@sha256:…`',
    );
  }
  return files.map((file, index) =>
    changeFrom(
      {
        file,
        image,
        path,
        value,
        key: image !== undefined && key !== 'image' ? key : undefined,
        create: create ? 'true' : undefined,
      },
      inputNaming(files.length === 1 ? undefined : index),
    ),
  );
}
