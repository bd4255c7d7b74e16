/**
 * The subcommands `slipway` knows. A command is a name, a one-line summary and
 * a function from argv (after the command name) to an exit code. To add one,
 * write packages/cli/src/commands/<name>.ts and list it here.
 */
import type { CliIo } from './io.ts';
import { bumpCommand } from './commands/bump.ts';
import { pinCheckCommand } from './commands/pin-check.ts';

export interface Command {
  name: string;
  summary: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export const COMMANDS: readonly Command[] = [pinCheckCommand, bumpCommand];
