/**
 * Runs an installed tool with an argv array through @actions/exec: no shell, so
 * user values can never be interpreted as shell syntax. Output is streamed to
 * the log and also returned.
 */
import { getExecOutput } from '@actions/exec';

export interface ProgramResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `program` with `args`; a non-zero exit is returned, not thrown. */
export type ProgramRunner = (
  program: string,
  args: string[],
  options?: { cwd?: string; env?: Record<string, string> },
) => Promise<ProgramResult>;

export const execProgram: ProgramRunner = async (program, args, options = {}) => {
  const { exitCode, stdout, stderr } = await getExecOutput(program, args, {
    ignoreReturnCode: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: { ...(process.env as Record<string, string>), ...options.env } } : {}),
  });
  return { exitCode, stdout, stderr };
};

/** The last lines of a tool's stderr, for an error message. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split(/\r?\n/).slice(-lines).join('\n');
}
