/**
 * `slipway <command> [args]`: dispatches to a registered command and turns
 * every error into an exit code: UserError and usage errors print one line
 * and exit 2 (3 for a failed lookup: "could not verify"); anything else is a
 * bug and prints the stack.
 */
import { UserError } from '@slipway/core';
import { CouldNotVerifyError } from '@slipway/pinning';
import { EXIT_UNVERIFIED, EXIT_USAGE, UsageError, type CliIo } from './io.ts';
import { COMMANDS, type Command } from './registry.ts';

import { VERSION_FOR_REPORTS as VERSION } from './version.ts';

export { VERSION };

export function usage(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: slipway <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `slipway <command> --help` for the options of a command.',
    '',
    'Exit codes:',
    '  0  success: no findings at error severity',
    '  1  findings at error severity',
    '  2  usage or input error (unknown command or flag, missing path, bad file), or the',
    '     command could not finish (a service not reachable, a token rejected)',
    '  3  could not verify (pin-check online or fix: a GitHub lookup failed), and no other',
    '     findings at error severity',
    '',
  ].join('\n');
}

export async function main(
  argv: string[],
  io: CliIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage(commands));
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`slipway ${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`slipway: unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof UserError) {
      const message = error.message.split('\n')[0] ?? '';
      const hint = error instanceof UserError && error.hint ? error.hint : '';
      const joined = hint ? `${message}${/[.!?]$/.test(message) ? '' : '.'} ${hint}` : message;
      io.stderr(`slipway ${name}: ${joined}\n`);
      return error instanceof CouldNotVerifyError ? EXIT_UNVERIFIED : EXIT_USAGE;
    }
    io.stderr(
      `slipway ${name}: unexpected error (a bug in Slipway; please report it)\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    return EXIT_USAGE;
  }
}
