/**
 * Local git repositories for the workflow-runner tests: a caller repository made
 * from files (one commit), and Slipway itself at HEAD of this checkout, with the
 * workflow files read from that same commit (job.workflow_sha), so the workflow,
 * its action.yml files and the dist/ bundles all come from one committed tree.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

export interface LocalRepo {
  dir: string;
  sha: string;
}

/** A repository with one commit holding `files` (path -> content) on main. */
export function repoWithFiles(files: Record<string, string>): LocalRepo {
  const dir = mkdtempSync(join(tmpdir(), 'caller-repo-'));
  git(dir, ['init', '-q', '-b', 'main']);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git(dir, ['add', '-A']);
  git(dir, [
    '-c',
    'user.name=octocat',
    '-c',
    'user.email=octocat@example.com',
    'commit',
    '-q',
    '-m',
    'caller repository',
  ]);
  return { dir, sha: git(dir, ['rev-parse', 'HEAD']) };
}

export interface SlipwayCommit extends LocalRepo {
  /** Path of `.github/workflows/<name>` as committed at `sha` (a temp copy). */
  workflow(name: string): string;
}

/** This repository at HEAD: what `job.workflow_sha` names when a caller pins Slipway. */
export function slipwayAtHead(): SlipwayCommit {
  const dir = resolve(import.meta.dirname, '../..');
  const sha = git(dir, ['rev-parse', 'HEAD']);
  const copies = mkdtempSync(join(tmpdir(), 'slipway-workflows-'));
  return {
    dir,
    sha,
    workflow: (name) => {
      const file = join(copies, '.github', 'workflows', name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, git(dir, ['show', `${sha}:.github/workflows/${name}`]) + '\n');
      return file;
    },
  };
}
