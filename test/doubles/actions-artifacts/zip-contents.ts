/**
 * Reads an uploaded artifact zip with Info-ZIP's `unzip` (a Debian package in
 * scripts/system-deps.js), so tests check the archive with a reader that is not
 * the library that wrote it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function onDisk(zip: Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'artifact-zip-')), 'artifact.zip');
  writeFileSync(path, zip);
  return path;
}

/** The entry names, in archive order (directories included, as `dir/`). */
export function zipEntries(zip: Buffer): string[] {
  return execFileSync('unzip', ['-Z1', onDisk(zip)], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
}

/** The bytes of one entry. */
export function zipEntry(zip: Buffer, name: string): Buffer {
  return execFileSync('unzip', ['-p', onDisk(zip), name], { maxBuffer: 64 * 1024 * 1024 });
}
