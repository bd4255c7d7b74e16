/**
 * Every committed action bundle starts under the runner's Node 24 and under Node 20,
 * and with no inputs at all it either succeeds or fails with a user-facing message:
 * never with "Unexpected error" (a bug) and never with a module-loading crash.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { node24Path } from '../harness/node-versions.ts';
import { runAction } from '../harness/run-action.ts';

const root = resolve(import.meta.dirname, '../..');
const jsActions = readdirSync(join(root, 'actions'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'action.yml')))
  .map((d) => d.name)
  .filter(
    (name) =>
      (parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as { runs: { using: string } })
        .runs.using !== 'composite',
  );

describe.each([
  ['node 20 (this machine)', () => process.execPath],
  ['node 24 (the runner)', node24Path],
])('bundles under %s', (_label, nodePath) => {
  it('the fixture action runs', async () => {
    const result = await runAction({
      actionDir: join(root, 'test/fixtures/harness-action'),
      node: nodePath(),
      skipPost: true,
    });
    expect(result.exitCode).toBe(0);
  }, 240_000);

  it.each(jsActions)(
    '%s starts and, without inputs, fails only with a user-facing message',
    async (name) => {
      const result = await runAction({
        actionDir: join(root, 'actions', name),
        node: nodePath(),
        skipPost: true,
      });
      expect(result.log).not.toContain('Unexpected error');
      expect(result.log).not.toMatch(/ERR_MODULE_NOT_FOUND|SyntaxError|Cannot find module/);
      if (result.exitCode !== 0) {
        expect(result.annotations.filter((a) => a.level === 'error')).toHaveLength(1);
      }
    },
    60_000,
  );
});
