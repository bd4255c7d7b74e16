import { UserError } from '@slipway/core';
import { CouldNotVerifyError } from '@slipway/pinning';
import { describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from './io.ts';
import { main } from './main.ts';
import type { Command } from './registry.ts';

function recorder(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    cwd: '/',
    env: {},
    isTty: false,
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

const commands: Command[] = [
  { name: 'ok', summary: 'succeeds', run: async (argv, io) => (io.stdout(argv.join(',')), 0) },
  {
    name: 'denied',
    summary: 'user error',
    run: async () => {
      throw new UserError('token rejected', { hint: 'Check GITHUB_TOKEN.' });
    },
  },
  {
    name: 'unverified',
    summary: 'lookup failed',
    run: async () => {
      throw new CouldNotVerifyError('GitHub GraphQL request failed with HTTP 503');
    },
  },
  {
    name: 'usage',
    summary: 'usage error',
    run: async () => {
      throw new UsageError('--x needs a value');
    },
  },
  {
    name: 'bug',
    summary: 'bug',
    run: async () => {
      throw new TypeError('x is undefined');
    },
  },
];

describe('slipway main', () => {
  it('dispatches to the command with the remaining argv', async () => {
    const io = recorder();
    expect(await main(['ok', 'a', '--b'], io, commands)).toBe(0);
    expect(io.out).toBe('a,--b');
  });

  it('prints usage: exit 0 when asked, 2 when no command is given', async () => {
    const asked = recorder();
    expect(await main(['--help'], asked, commands)).toBe(0);
    expect(asked.out).toBe(
      'Usage: slipway <command> [options]\n\nCommands:\n  ok          succeeds\n  denied      user error\n  unverified  lookup failed\n  usage       usage error\n  bug         bug\n\nRun `slipway <command> --help` for the options of a command.\n\n' +
        'Exit codes:\n  0  success: no findings at error severity\n  1  findings at error severity\n' +
        '  2  usage or input error (unknown command or flag, missing path, bad file), or the\n' +
        '     command could not finish (a service not reachable, a token rejected)\n' +
        '  3  could not verify (pin-check online or fix: a GitHub lookup failed), and no other\n' +
        '     findings at error severity\n',
    );
    const bare = recorder();
    expect(await main([], bare, commands)).toBe(2);
    expect(bare.out).toBe(asked.out);
  });

  it('turns user and usage errors into one line and exit 2', async () => {
    const denied = recorder();
    expect(await main(['denied'], denied, commands)).toBe(2);
    expect(denied.err).toBe('slipway denied: token rejected. Check GITHUB_TOKEN.\n');
    const usage = recorder();
    expect(await main(['usage'], usage, commands)).toBe(2);
    expect(usage.err).toBe('slipway usage: --x needs a value\n');
    const unknown = recorder();
    expect(await main(['nope'], unknown, commands)).toBe(2);
    expect(unknown.err).toBe(
      "slipway: unknown command 'nope'. Commands: ok, denied, unverified, usage, bug\n",
    );
  });

  it('turns a failed lookup (could not verify) into one line and exit 3', async () => {
    const io = recorder();
    expect(await main(['unverified'], io, commands)).toBe(3);
    expect(io.err).toBe('slipway unverified: GitHub GraphQL request failed with HTTP 503\n');
  });

  it('reports anything else as a bug with its stack', async () => {
    const io = recorder();
    expect(await main(['bug'], io, commands)).toBe(2);
    expect(io.err).toMatch(
      /^slipway bug: unexpected error \(a bug in Slipway; please report it\)\nTypeError: x is undefined\n {4}at /,
    );
  });

  it('prints its version', async () => {
    const io = recorder();
    expect(await main(['--version'], io, commands)).toBe(0);
    expect(io.out).toBe('slipway 0.1.0\n');
  });
});
