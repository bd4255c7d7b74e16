import { InputError, InputReader, maskSecret } from '@slipway/core';
import { parseTfVars, type TfVar } from '@slipway/terraform/control';
import { normalizeDirectory, validateWorkspace } from '@slipway/terraform/lock';

export const COMMANDS = ['route', 'lock', 'status', 'release', 'unlock', 'vars'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Inputs {
  command: Command;
  'github-token': string;
  directory: string | undefined;
  workspace: string | undefined;
  pr: number | undefined;
  sha: string | undefined;
  'merge-commit': string | undefined;
  'release-by': 'holder' | 'pr-closed' | 'pr-merged';
  reason: string | undefined;
  actor: string | undefined;
  'plan-outcome': string;
  exitcode: string;
  add: string;
  change: string;
  destroy: string;
  'lock-message': string;
  /** vars: the parsed `tf-vars` lines, every value already masked. */
  'tf-vars': TfVar[];
}

const SHA = { pattern: /^[0-9a-f]{40}$/, form: 'a full 40-character commit SHA' };

/** Reads and validates every input; nothing here touches the network. */
export function getInputs(reader = new InputReader()): Inputs {
  const token = reader.string('github-token');
  if (token) maskSecret(token);
  const tfVars = parseTfVars(reader.string('tf-vars') ?? '', maskSecret);
  const command = reader.enumeration('command', COMMANDS);
  if (!command) throw new InputError('command', 'is required', COMMANDS.join(', '));
  if (!token) throw new InputError('github-token', 'is empty', 'a token (default: github.token)');
  const needs = (name: string, when: boolean, form: string) => {
    if (when) throw new InputError(name, `is required with command ${command}`, form);
  };
  const rawDir = reader.string('directory');
  let directory: string | undefined;
  try {
    directory = rawDir === undefined ? undefined : normalizeDirectory(rawDir, 'directory');
  } catch (error) {
    throw new InputError('directory', (error as Error).message, 'a path relative to the repository root');
  }
  const rawWorkspace = reader.string('workspace');
  let workspace: string | undefined;
  try {
    workspace = rawWorkspace === undefined ? undefined : validateWorkspace(rawWorkspace);
  } catch (error) {
    throw new InputError('workspace', (error as Error).message, 'letters, digits, `.`, `_` and `-`');
  }
  const pr = reader.integer('pr', { min: 0 });
  const sha = reader.string('sha', SHA);
  const mergeCommit = reader.string('merge-commit', SHA);
  needs(
    'directory',
    ['lock', 'status', 'unlock'].includes(command) && !directory,
    'a root module directory relative to the repository root',
  );
  needs('pr', ['lock', 'release'].includes(command) && !pr, 'the pull request number');
  needs('sha', ['lock', 'status'].includes(command) && !sha, SHA.form);
  const reason = reader.string('reason');
  needs('reason', command === 'unlock' && !reason, 'why the lock is force-released');
  const text = (name: string) => reader.string(name) ?? '';
  return {
    command,
    'github-token': token,
    directory,
    workspace,
    pr,
    sha,
    'merge-commit': mergeCommit,
    'release-by': reader.enumeration('release-by', ['holder', 'pr-closed', 'pr-merged'] as const, 'holder'),
    reason,
    actor: reader.string('actor'),
    'plan-outcome': text('plan-outcome'),
    exitcode: text('exitcode'),
    add: text('add'),
    change: text('change'),
    destroy: text('destroy'),
    'lock-message': text('lock-message'),
    'tf-vars': tfVars,
  };
}
