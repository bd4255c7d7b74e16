import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../io.ts';
import { defaultJobs, runPinCheckCommand } from './pin-check.ts';

describe('defaultJobs', () => {
  it.each([
    [1, 1],
    [2, 1],
    [3, 1],
    [4, 4],
    [6, 6],
    [8, 8],
    [64, 8],
  ])('%i CPUs -> %i scanner thread(s)', (cpus, jobs) => {
    expect(defaultJobs(cpus)).toBe(jobs);
  });
});

function recorder(cwd: string): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    cwd,
    env: {},
    isTty: false,
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

describe('runPinCheckCommand: paths that hold nothing to check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pin-check-empty-'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'notes.md'), 'nothing to check\n');

  it('is a usage error naming the paths searched', async () => {
    await expect(runPinCheckCommand(['--no-cache', 'docs'], recorder(dir))).rejects.toThrow(
      new UsageError(
        "no workflow (.github/workflows/*.yml) or action (action.yml) file found under 'docs'; give the repository root or a path that holds them, or pass --allow-empty to accept this",
      ),
    );
  });

  it('passes with --allow-empty, saying so on stderr', async () => {
    const io = recorder(dir);
    expect(await runPinCheckCommand(['--no-cache', '--allow-empty'], io)).toBe(0);
    expect(io.out).toBe('No findings in 0 files.\n');
    expect(io.err).toBe(
      "slipway pin-check: no workflow (.github/workflows/*.yml) or action (action.yml) file found under '.' (--allow-empty)\n",
    );
  });

  it('help documents --allow-empty and the exit codes', async () => {
    const io = recorder(dir);
    expect(await runPinCheckCommand(['--help'], io)).toBe(0);
    expect(io.out).toContain('  --allow-empty ');
    expect(io.out).toContain('Exit codes:\n  0  no findings at error severity');
  });
});
