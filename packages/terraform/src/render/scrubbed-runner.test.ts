import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scrubbedProgramRunner } from './scrubbed-runner.ts';

const SECRET = 'hunter2-Zq8vK3mW9xTfRb';
const secrets = { values: [SECRET], patterns: [/acct-\d{6}/] };

describe('scrubbedProgramRunner', () => {
  it('prints stdout and stderr lines scrubbed, returns the output whole, keeps the exit code', async () => {
    const lines: string[] = [];
    const run = scrubbedProgramRunner(secrets, (line) => lines.push(line));
    const script = `console.log('input = "v2:${SECRET}"'); console.error('account acct-123456'); process.exit(3)`;
    const result = await run(process.execPath, ['-e', script]);
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toContain(SECRET);
    expect(lines).toEqual(expect.arrayContaining(['input = "v2:***"', 'account ***']));
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  it('prints nothing of `show -json`, and returns it whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scrubbed-runner-'));
    try {
      // a program that prints its arguments and a plan JSON line, as `tofu show -json` prints one
      const program = join(dir, 'tf');
      writeFileSync(program, `#!/bin/sh\necho "args: $*"\necho '{"after":{"password":"plain"}}'\n`, {
        mode: 0o755,
      });
      const lines: string[] = [];
      const run = scrubbedProgramRunner(secrets, (line) => lines.push(line));
      const shown = await run(program, ['show', '-json', '-no-color', 'tfplan']);
      expect(shown.stdout).toContain('"password":"plain"');
      expect(lines).toEqual([]);
      await run(program, ['plan', '-no-color']);
      expect(lines).toEqual(['args: plan -no-color', '{"after":{"password":"plain"}}']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
