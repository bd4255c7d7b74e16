import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packedTarGz } from './packed-archive.ts';

const scratch = mkdtempSync(join(tmpdir(), 'packed-archive-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `tar -tvzf` of the archive: mode, owner and path of each entry. */
function listing(body: Buffer): string[] {
  const file = join(mkdtempSync(join(scratch, 'list-')), 'a.tar.gz');
  writeFileSync(file, body);
  return execFileSync('tar', ['-tvzf', file, '--numeric-owner'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => {
      const [mode, owner, , , , path] = line.split(/\s+/);
      return `${mode} ${owner} ${path}`;
    });
}

describe('packedTarGz', () => {
  const program = join(scratch, 'tool');
  writeFileSync(program, '#!/bin/sh\necho one\n');
  chmodSync(program, 0o755);

  it('packs copies and texts at the top level and in subfolders, owned by root, modes kept', () => {
    const body = packedTarGz('tool_1_linux_amd64.tar.gz', [
      { path: 'tool', copyOf: program },
      { path: 'LICENSE', text: 'licence\n' },
      { path: 'contrib/sarif.tpl', text: '{{/* x */}}\n' },
    ]);
    expect(body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(listing(body)).toEqual([
      '-rwxr-xr-x 0/0 tool',
      '-rw-r--r-- 0/0 LICENSE',
      'drwxr-xr-x 0/0 contrib/',
      '-rw-r--r-- 0/0 contrib/sarif.tpl',
    ]);
  });

  it('gives the same bytes for the same entries, packed once', () => {
    const entries = [
      { path: 'tool', copyOf: program },
      { path: 'README.md', text: 'same\n' },
    ];
    const first = packedTarGz('same.tar.gz', entries);
    const packings = () => readdirSync(join(tmpdir(), 'packed-archives')).length;
    const before = packings();
    expect(packedTarGz('same.tar.gz', entries).equals(first)).toBe(true);
    expect(packings()).toBe(before);
  });

  it('packs again when a copied file changed, or a text', () => {
    const other = join(scratch, 'changing');
    writeFileSync(other, 'version one\n');
    utimesSync(other, 1_000_000, 1_000_000);
    const first = packedTarGz('changing.tar.gz', [{ path: 'changing', copyOf: other }]);
    writeFileSync(other, 'version two, longer\n');
    const second = packedTarGz('changing.tar.gz', [{ path: 'changing', copyOf: other }]);
    expect(second.equals(first)).toBe(false);
    const third = packedTarGz('changing.tar.gz', [
      { path: 'changing', copyOf: other },
      { path: 'NOTE', text: 'a' },
    ]);
    const fourth = packedTarGz('changing.tar.gz', [
      { path: 'changing', copyOf: other },
      { path: 'NOTE', text: 'b' },
    ]);
    expect(fourth.equals(third)).toBe(false);
  });
});
