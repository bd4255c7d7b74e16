export { main, usage, VERSION } from './main.ts';
export { COMMANDS, type Command } from './registry.ts';
export { processIo, UsageError, EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, type CliIo } from './io.ts';
