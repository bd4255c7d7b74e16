/**
 * Files pin-check does not read (links to a device, a pipe, a directory or
 * nowhere; files over the size limit) are findings naming the file and why,
 * and reading them costs neither memory nor time: the test's timeout is the
 * bound (the old code read /dev/zero until memory ran out and waited on the
 * pipe forever).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinCheck, readAndScan, scanOnThisThread } from './check.ts';
import { emptyPolicy } from './policy.ts';
import { MAX_FILE_BYTES, readCheckedFile } from './read-checked-file.ts';
import { cachedScanner } from './scan-cache.ts';

const CLEAN = 'jobs:\n  a:\n    steps:\n      - uses: ./local\n';

function hostileTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'pin-check-files-'));
  const outside = mkdtempSync(join(tmpdir(), 'pin-check-outside-'));
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(root, '.github', 'workflows', 'ci.yml'), CLEAN);
  for (const dir of ['zero', 'pipe', 'dir', 'dangling', 'large', 'fine']) mkdirSync(join(root, dir));
  symlinkSync('/dev/zero', join(root, 'zero', 'action.yml'));
  execFileSync('mkfifo', [join(outside, 'fifo')]);
  symlinkSync(join(outside, 'fifo'), join(root, 'pipe', 'action.yml'));
  symlinkSync(outside, join(root, 'dir', 'action.yml'));
  symlinkSync(join(outside, 'missing.yml'), join(root, 'dangling', 'action.yaml'));
  writeFileSync(join(root, 'large', 'action.yml'), `#${'x'.repeat(MAX_FILE_BYTES)}\n`);
  writeFileSync(join(outside, 'action.yml'), 'runs:\n  steps:\n    - uses: a/b@v1\n');
  symlinkSync(join(outside, 'action.yml'), join(root, 'fine', 'action.yml'));
  return root;
}

describe('files that are not read', () => {
  it('reports links to a device, a pipe, a directory or nowhere and files over 1 MiB as unchecked-file findings', async () => {
    const root = hostileTree();
    const result = await pinCheck({ root, paths: [], policy: emptyPolicy() });
    expect(result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`)).toEqual([
      'dangling/action.yaml:1:1 unchecked-file dangling/action.yaml was not checked: it cannot be read (ENOENT)',
      'dir/action.yml:1:1 unchecked-file dir/action.yml was not checked: it is not a regular file but a directory',
      "fine/action.yml:3:13 unpinned-action uses 'a/b@v1' is not pinned to a commit SHA: 'v1' is a tag or branch, which can be moved",
      `large/action.yml:1:1 unchecked-file large/action.yml was not checked: it is larger than ${MAX_FILE_BYTES} bytes`,
      'pipe/action.yml:1:1 unchecked-file pipe/action.yml was not checked: it is not a regular file but a named pipe',
      'zero/action.yml:1:1 unchecked-file zero/action.yml was not checked: it is not a regular file but a character device',
    ]);
    expect(result.findings.every((f) => f.severity === 'error')).toBe(true);
    // an unchecked file is never handed to the fixer
    expect(result.files.filter((f) => !f.parsed).map((f) => f.file)).toEqual([
      'dangling/action.yaml',
      'dir/action.yml',
      'large/action.yml',
      'pipe/action.yml',
      'zero/action.yml',
    ]);
  }, 10_000);

  it('reports a device named on the command line instead of reading it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pin-check-files-'));
    const result = await pinCheck({ root, paths: ['/dev/zero'], policy: emptyPolicy() });
    expect(result.findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([
      expect.stringMatching(
        /^unchecked-file (\.\.\/)+dev\/zero was not checked: it is not a regular file but a character device$/,
      ),
    ]);
  }, 10_000);

  it('reports the same through the content cache, and caches none of them', async () => {
    const root = hostileTree();
    const files = ['zero/action.yml', 'pipe/action.yml', 'large/action.yml', 'fine/action.yml'];
    const cacheFile = join(root, '.cache', 'scan.json');
    const stats = { hits: 0, misses: 0 };
    const scanner = cachedScanner(scanOnThisThread, cacheFile, stats);
    const expected = files.map((file) => readAndScan(root, file));
    expect(await scanner(root, files)).toEqual(expected);
    expect(stats).toEqual({ hits: 0, misses: 1 });
    expect(await scanner(root, files)).toEqual(expected);
    expect(stats).toEqual({ hits: 1, misses: 0 });
    expect(expected.map((scan) => scan.result.unchecked)).toEqual([
      'it is not a regular file but a character device',
      'it is not a regular file but a named pipe',
      `it is larger than ${MAX_FILE_BYTES} bytes`,
      undefined,
    ]);
  }, 10_000);

  it('reads a file of exactly the limit, and stops one byte past it when the size is unknown', () => {
    const root = mkdtempSync(join(tmpdir(), 'pin-check-files-'));
    writeFileSync(join(root, 'a.yml'), 'x'.repeat(100));
    expect(readCheckedFile(root, 'a.yml', 100)).toEqual({ bytes: Buffer.from('x'.repeat(100)) });
    expect(readCheckedFile(root, 'a.yml', 99)).toEqual({ unchecked: 'it is larger than 99 bytes' });
    // /proc files report size 0; this one is longer than 16 bytes
    expect(readCheckedFile('/', 'proc/self/status', 16)).toEqual({ unchecked: 'it is larger than 16 bytes' });
  });
});
