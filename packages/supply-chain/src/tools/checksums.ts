/** Reading sha256sum-style checksums files and hashing files on disk. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UserError } from '@slipway/core';

/**
 * Parses the `<hex>  <name>` lines that goreleaser and sha256sum write (a `*`
 * before the name marks binary mode). Returns name -> lower-case hex digest.
 */
export function parseChecksums(text: string, source: string): Map<string, string> {
  const digests = new Map<string, string>();
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const match = /^([0-9a-fA-F]{64})\s+\*?(\S.*)$/.exec(line);
    if (!match) {
      throw new UserError(
        `${source} line ${index + 1} is not '<sha256>  <file name>': '${line.slice(0, 120)}'.`,
      );
    }
    digests.set(match[2]!, match[1]!.toLowerCase());
  }
  return digests;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Thrown when bytes do not match the digest they must have; never retried, never executed. */
export class ChecksumMismatchError extends UserError {
  constructor(
    readonly asset: string,
    readonly expected: string,
    readonly actual: string,
    authority: string,
  ) {
    super(
      `sha256 mismatch for ${asset}: expected ${expected} (from ${authority}), got ${actual}. ` +
        'The file was deleted and nothing from it was run.',
      {
        hint: 'If the release was re-published, do not just update the digest: find out why it changed first (CVE-2026-33634).',
      },
    );
    this.name = 'ChecksumMismatchError';
  }
}
