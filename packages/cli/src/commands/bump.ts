/**
 * `slipway bump`: the image-bump edit on a local checkout (dry run by default).
 * The command itself lives in @slipway/gitops; this adapts the CLI's streams.
 */
import { runBumpCommand } from '@slipway/gitops';
import type { CliIo } from '../io.ts';
import type { Command } from '../registry.ts';

export const bumpCommand: Command = {
  name: 'bump',
  summary: 'edit kustomize image entries or Helm values locally and print the diff (--write to save)',
  run: (argv: string[], io: CliIo) =>
    runBumpCommand(argv, {
      stdout: { write: (text: string) => io.stdout(text) },
      stderr: { write: (text: string) => io.stderr(text) },
      cwd: io.cwd,
      env: io.env,
    }),
};
