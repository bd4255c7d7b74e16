/**
 * Reads a file pin-check is about to scan, bounded: only a regular file (a
 * symbolic link is followed to one), at most `maxBytes`. Anything else comes
 * back as the reason it was not read, which becomes an `unchecked-file`
 * finding: a link to `/dev/zero` would otherwise be read until memory runs
 * out, and a link to a FIFO would block forever.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';

/** Largest workflow or action file read: real ones are a few KB, the largest seen some 100 KB. */
export const MAX_FILE_BYTES = 1024 * 1024;

export type CheckedFileRead = { bytes: Buffer } | { unchecked: string };

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  return 'something else';
}

const cannotRead = (error: unknown) => ({
  unchecked: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
});

export function readCheckedFile(root: string, file: string, maxBytes = MAX_FILE_BYTES): CheckedFileRead {
  let fd: number;
  try {
    // Non-blocking, so opening a FIFO returns at once instead of waiting for a writer.
    fd = openSync(resolve(root, file), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return cannotRead(error);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { unchecked: `it is not a regular file but ${kindOf(stat)}` };
    const tooLarge = { unchecked: `it is larger than ${maxBytes} bytes` };
    if (stat.size > maxBytes) return tooLarge;
    // The size may change between stat and read (or be 0, as for files in /proc):
    // read at most one byte past the limit. Only the bytes read are ever exposed, so the
    // buffers need no zero-filling, and each has its own memory (no pool) to hand out a view of.
    let buffer = Buffer.allocUnsafeSlow(Math.min(maxBytes + 1, Math.max(stat.size + 1, 4096)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) return tooLarge;
        const bigger = Buffer.allocUnsafeSlow(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(bigger);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return { bytes: buffer.subarray(0, length) };
  } catch (error) {
    return cannotRead(error);
  } finally {
    closeSync(fd);
  }
}
