/**
 * `slipway bump` through the committed dist/cli/index.js (the shared bundle): a dry run prints the unified
 * diff and leaves the checkout alone; --write changes exactly the tag's line;
 * bad usage exits 2 and bad input exits 1, each with a message.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');
const bundle = join(repoRoot, 'dist', 'cli', 'index.js');
const opsRepo = join(repoRoot, 'test', 'fixtures', 'gitops', 'ops-repo');
const overlay = 'apps/web/overlays/dev/kustomization.yaml';

function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-cli-bump-'));
  cpSync(opsRepo, dir, { recursive: true });
  return dir;
}

async function slipway(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bundle, ...args], {
      env: { PATH: process.env.PATH ?? '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('slipway bump', () => {
  it('prints the diff of a dry run and writes nothing', async () => {
    const dir = checkout();
    const before = readFileSync(join(dir, overlay), 'utf8');
    const result = await slipway([
      'bump',
      '--dir',
      dir,
      '--file',
      overlay,
      '--image',
      'web=ghcr.io/acme/web:4.0.1',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`--- a/${overlay}\n+++ b/${overlay}\n`);
    expect(result.stdout).toContain('-    newTag: "3f2a9c1" # {"$imagepolicy": "flux-system:web:tag"}\n');
    expect(result.stdout).toContain('+    newTag: "4.0.1" # {"$imagepolicy": "flux-system:web:tag"}\n');
    expect(readFileSync(join(dir, overlay), 'utf8')).toBe(before);
  });

  it('with --write changes only the tag, keeping quotes and the trailing comment', async () => {
    const dir = checkout();
    const before = readFileSync(join(dir, overlay), 'utf8');
    const result = await slipway([
      'bump',
      '--dir',
      dir,
      '--file',
      overlay,
      '--image',
      'web=ghcr.io/acme/web:4.0.1',
      '--write',
    ]);
    expect(result.code).toBe(0);
    const expected = before.replace('newTag: "3f2a9c1"', 'newTag: "4.0.1"');
    expect(expected).not.toBe(before);
    expect(readFileSync(join(dir, overlay), 'utf8')).toBe(expected);
  });

  it('is listed in the CLI help', async () => {
    const result = await slipway(['--help']);
    expect(result.stdout).toMatch(/^\s+bump\s+edit kustomize image entries/m);
  });

  it('exits 2 with the usage on an unknown option', async () => {
    const result = await slipway(['bump', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--bogus'");
  });

  it('exits 1 on an image name that matches no entry, naming the entries and --create', async () => {
    const dir = checkout();
    const result = await slipway(['bump', '--dir', dir, '--file', overlay, '--image', 'wbe:1.0.0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${overlay} has no \`images\` entry named 'wbe' (it has 'web',`);
    expect(result.stderr).toContain('pass --create to add a new entry');
    expect(
      (await slipway(['bump', '--dir', dir, '--file', overlay, '--image', 'wbe:1.0.0', '--create'])).code,
    ).toBe(0);
  });

  it('exits 2 when --dir is not a folder', async () => {
    const result = await slipway([
      'bump',
      '--dir',
      '/nonexistent',
      '--file',
      overlay,
      '--image',
      'web:1.0.0',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--dir /nonexistent does not exist (ENOENT)');
    expect(result.stderr).not.toContain('unexpected error');
  });

  it('exits 1 naming the file when it escapes the checkout', async () => {
    const dir = checkout();
    const result = await slipway(['bump', '--dir', dir, '--file', '../outside.yaml', '--image', 'web:1.0.0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('../outside.yaml');
  });
});
