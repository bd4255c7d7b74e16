import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './unified-diff.ts';

/** GNU diff -u output with the file header lines replaced, for comparison. */
function gnuDiff(before: string, after: string, path: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-diff-'));
  writeFileSync(join(dir, 'a'), before);
  writeFileSync(join(dir, 'b'), after);
  return new Promise((done, fail) =>
    execFile('diff', ['-u', join(dir, 'a'), join(dir, 'b')], (error, stdout) => {
      if (error && error.code !== 1) return fail(error);
      const lines = stdout.split('\n');
      lines[0] = `--- a/${path}`;
      lines[1] = `+++ b/${path}`;
      done(lines.join('\n'));
    }),
  );
}

const values = readFileSync(
  resolve(import.meta.dirname, '../../../test/fixtures/gitops/ops-repo/charts/api/values.yaml'),
  'utf8',
);

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('x', 'a\n', 'a\n')).toBe('');
  });

  it.each([
    ['one line in the middle', values, values.replace('tag: "1.9.0"', 'tag: "1.10.0"')],
    ['first line', values, values.replace('# Default values', '# Values')],
    ['last line', values, values.replace('resources: {}', 'resources: {limits: {}}')],
    [
      'two far-apart hunks',
      values,
      values.replace('replicaCount: 2', 'replicaCount: 3').replace('resources: {}', 'resources: []'),
    ],
    [
      'two close changes in one hunk',
      values,
      values.replace('tag: "1.9.0"', 'tag: "2"').replace('pullPolicy: IfNotPresent', 'pullPolicy: Always'),
    ],
    [
      'inserted lines',
      values,
      values.replace(
        '    pullPolicy: IfNotPresent\n',
        '    pullPolicy: IfNotPresent\n    digest: sha256:1\n',
      ),
    ],
    ['removed lines', values, values.replace('    pullPolicy: IfNotPresent\n', '')],
    ['no newline at the end', 'a: 1\nb: 2', 'a: 1\nb: 3'],
    ['from empty', '', 'a: 1\n'],
  ])('matches diff -u: %s', async (_name, before, after) => {
    expect(unifiedDiff('charts/api/values.yaml', before, after)).toBe(
      await gnuDiff(before, after, 'charts/api/values.yaml'),
    );
  });

  it('drops the carriage return of CRLF lines', () => {
    expect(unifiedDiff('k.yaml', 'a: 1\r\nb: 2\r\n', 'a: 1\r\nb: 3\r\n')).toBe(
      '--- a/k.yaml\n+++ b/k.yaml\n@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n+b: 3\n',
    );
  });
});
