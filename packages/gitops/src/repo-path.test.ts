import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeRepoPath, resolveInCheckout } from './repo-path.ts';

describe('normalizeRepoPath', () => {
  it('normalises harmless spellings', () => {
    expect(normalizeRepoPath('./apps//web/./kustomization.yaml')).toBe('apps/web/kustomization.yaml');
  });

  it.each([
    ['../other/kustomization.yaml', 'contains `..`'],
    ['apps/../../x.yaml', 'contains `..`'],
    ['/etc/passwd', 'is absolute'],
    ['C:/x.yaml', 'is absolute'],
    ['apps\\web.yaml', 'contains a backslash'],
    ['a\0b', 'contains a NUL character'],
    ['.git/config', 'is inside .git'],
    ['./', 'names the repository root, not a file'],
    [' ', 'is empty'],
  ])('refuses %j', (path, problem) => {
    expect(() => normalizeRepoPath(path, "Input 'changes', item 2, `file`")).toThrow(
      `Input 'changes', item 2, \`file\`: '${path}' ${problem}. Give a path relative to the repository root`,
    );
  });
});

describe('resolveInCheckout', () => {
  it('follows symlinks that stay inside and refuses those that leave', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'slipway-outside-'));
    writeFileSync(join(outside, 'secret.yaml'), 'x: 1\n');
    const root = mkdtempSync(join(tmpdir(), 'slipway-checkout-'));
    mkdirSync(join(root, 'apps'));
    writeFileSync(join(root, 'apps', 'values.yaml'), 'x: 1\n');
    symlinkSync(join(root, 'apps', 'values.yaml'), join(root, 'inside.yaml'));
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'escape.yaml'));
    symlinkSync(outside, join(root, 'linkdir'));
    expect(await resolveInCheckout(root, 'inside.yaml')).toMatch(/apps\/values\.yaml$/);
    await expect(resolveInCheckout(root, 'escape.yaml')).rejects.toThrow(
      'escape.yaml is a symbolic link that points outside the repository',
    );
    await expect(resolveInCheckout(root, 'linkdir/secret.yaml')).rejects.toThrow(
      'points outside the repository',
    );
    await expect(resolveInCheckout(root, 'missing.yaml')).rejects.toThrow(
      `missing.yaml does not exist in ${root}.`,
    );
  });
});
