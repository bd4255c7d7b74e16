// Vitest global setup: every temporary folder a test (or a process it starts) makes goes under one
// folder per `vitest run`, removed when the run ends, so a run leaves nothing behind in the system
// temp folder even when a test forgets its own clean-up or is killed by a timeout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env['TMPDIR'];
  // short on purpose: unix socket paths under it (gpg-agent, git daemons) must stay below 108 bytes
  const runTmp = mkdtempSync(join(tmpdir(), 'sw-'));
  process.env['TMPDIR'] = runTmp;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 });
  };
}
