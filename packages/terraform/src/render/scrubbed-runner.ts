/**
 * The program runner of tf-plan and tf-apply: runs tofu/terraform with an argv array through
 * @actions/exec, like supply-chain's execProgram, but prints each line of its output only after
 * scrubbing every secret the job knows (redaction.ts). The runner's own masking covers the live
 * log on GitHub; this keeps the values out of every other copy of the log (a self-hosted
 * runner's diagnostics, a log forwarder, a local run) and covers what the runner masks only
 * partly (a secret split across lines, encoded forms). `show -json` is not printed at all: the
 * plan JSON holds sensitive values that are not secrets of the job; its redacted form goes to
 * the summary and the artifact.
 *
 * The returned stdout/stderr are the program's own (plan JSON parsing needs them whole).
 */
import { getExecOutput } from '@actions/exec';
import type { ProgramRunner } from '@slipway/supply-chain/tools';
import { scrubText, type Secrets } from './redaction.ts';

export function scrubbedProgramRunner(secrets: Secrets, log: (line: string) => void): ProgramRunner {
  return async (program, args, options = {}) => {
    const quiet = args[0] === 'show' && args.includes('-json');
    const print = (line: string) => {
      if (!quiet) log(scrubText(line, secrets));
    };
    const { exitCode, stdout, stderr } = await getExecOutput(program, args, {
      ignoreReturnCode: true,
      silent: true,
      listeners: { stdline: print, errline: print },
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.env ? { env: { ...(process.env as Record<string, string>), ...options.env } } : {}),
    });
    return { exitCode, stdout, stderr };
  };
}
