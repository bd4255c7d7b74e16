/**
 * A cosign key handed over as a secret (PEM text) lives on disk only while
 * cosign runs: written with mode 0600 into a fresh directory under RUNNER_TEMP,
 * removed in `finally` whatever happens. The PEM and every line of it are
 * masked before anything touches the disk.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, maskSecret, type MaskSink } from '@slipway/core';

const PEM = /^-----BEGIN [A-Z0-9 ]+-----\r?\n[\s\S]+?\r?\n-----END [A-Z0-9 ]+-----\s*$/;

export function isPem(text: string): boolean {
  return PEM.test(text.trim() + '\n');
}

export async function withKeyFile<T>(
  pem: string,
  options: { tempDir: string; input: string; mask?: MaskSink },
  use: (path: string) => Promise<T>,
): Promise<T> {
  maskSecret(pem, options.mask);
  if (!isPem(pem)) {
    throw new UserError(
      `Input '${options.input}' is not a PEM key (-----BEGIN … KEY----- … -----END … KEY-----).`,
      { hint: 'Pass the key file contents from a secret, e.g. `${{ secrets.COSIGN_PRIVATE_KEY }}`.' },
    );
  }
  const dir = mkdtempSync(join(options.tempDir, 'slipway-cosign-key-'));
  const path = join(dir, 'cosign.key');
  try {
    writeFileSync(path, pem.trim() + '\n', { mode: 0o600 });
    return await use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
