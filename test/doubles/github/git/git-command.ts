/**
 * Runs the git CLI with an argv array (never a shell string) inside one bare
 * repository. Every call fixes the identity and dates through the environment so
 * the objects the double writes are reproducible.
 */
import { execFile } from 'node:child_process';

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim()}`);
    this.name = 'GitCommandError';
  }
}

export interface GitCallOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
}

const BASE_ENV: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Slipway Test',
  GIT_AUTHOR_EMAIL: 'test@slipway.invalid',
  GIT_COMMITTER_NAME: 'Slipway Test',
  GIT_COMMITTER_EMAIL: 'test@slipway.invalid',
  LC_ALL: 'C',
};

/** The environment every git process of the double runs with. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', ...BASE_ENV, ...extra };
}

/** Runs `git --git-dir=<gitDir> <args>` and resolves with raw stdout. */
export function gitRaw(
  gitDir: string,
  args: readonly string[],
  options: GitCallOptions = {},
): Promise<Buffer> {
  const fullArgs = [`--git-dir=${gitDir}`, ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      fullArgs,
      {
        encoding: 'buffer',
        maxBuffer: 64 * 1024 * 1024,
        env: gitEnv(options.env),
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : null;
          reject(new GitCommandError(args, code, stderr.toString('utf8')));
        } else {
          resolve(stdout);
        }
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Like gitRaw, but returns stdout as UTF-8 with the trailing newline removed. */
export async function git(
  gitDir: string,
  args: readonly string[],
  options: GitCallOptions = {},
): Promise<string> {
  const out = await gitRaw(gitDir, args, options);
  return out.toString('utf8').replace(/\n$/, '');
}

/** Runs git and returns null instead of throwing when git exits non-zero. */
export async function gitOrNull(
  gitDir: string,
  args: readonly string[],
  options: GitCallOptions = {},
): Promise<string | null> {
  try {
    return await git(gitDir, args, options);
  } catch (error) {
    if (error instanceof GitCommandError) return null;
    throw error;
  }
}

/** Environment that pins author and committer dates (ISO 8601). */
export function dateEnv(date: string | undefined): Record<string, string> {
  if (!date) return {};
  return { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
}
