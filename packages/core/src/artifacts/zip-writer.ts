/**
 * A ZIP archive of a handful of files, built in memory (PKWARE APPNOTE 6.3:
 * local file headers, central directory, end of central directory record).
 * Each entry is deflated (`zlib.deflateRawSync`) unless that does not make it
 * smaller, when it is stored; CRC-32 is `zlib.crc32`. Names are UTF-8 with
 * general-purpose flag bit 11 set, forward-slash paths, no Zip64: an archive
 * that would need it (65535 entries or more, 4 GiB or more in any size or
 * offset) is refused with a ZipLimitError instead of being written wrong.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { UserError } from '../errors.ts';

export interface ZipEntry {
  /** Forward-slash path inside the archive: relative, no `.`/`..`/empty segments, no backslash. */
  name: string;
  data: Buffer;
  /** Stored as an MS-DOS local date and time (2-second steps, clamped to 1980..2107). */
  modified: Date;
}

/** An archive that needs Zip64, which this writer does not write. */
export class ZipLimitError extends UserError {
  constructor(message: string) {
    super(`Cannot write the ZIP archive: ${message}.`);
    this.name = 'ZipLimitError';
  }
}

/** 0xFFFF and 0xFFFFFFFF mean "see the Zip64 record" to readers: the largest plain values are one less. */
export const MAX_ENTRIES = 0xfffe;
export const MAX_32 = 0xfffffffe;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const UTF8_NAMES = 0x0800;
const STORED = 0;
const DEFLATED = 8;
/** Version 2.0: deflate. */
const VERSION_NEEDED = 20;
/** Made by Unix (3), spec version 2.0: the external attributes carry a Unix mode. */
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
/** Regular file, rw-r--r--, in the high 16 bits of the external attributes. */
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;

/** What is wrong with an entry name, if anything. */
export function entryNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name.includes('\\')) return 'contains a backslash (a path separator on Windows)';
  if (name.includes('\0')) return 'contains a NUL character';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is absolute';
  if (name.split('/').some((s) => s === '' || s === '.' || s === '..'))
    return 'has an empty, `.` or `..` segment';
  if (Buffer.byteLength(name, 'utf8') > 0xffff) return 'is longer than 65535 bytes';
  return undefined;
}

/** The MS-DOS time and date fields of a local time, clamped to the range they can hold. */
export function dosDateTime(when: Date): { time: number; date: number } {
  const t = when.getTime();
  const d = Number.isNaN(t) || when.getFullYear() < 1980 ? new Date(1980, 0, 1) : when;
  if (d.getFullYear() > 2107) return { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 };
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * Refuses an archive that needs Zip64: too many entries, an entry or the
 * archive too large for 32-bit sizes and offsets. Takes only the numbers so the
 * limits can be checked without building the data.
 */
export function checkZip32Limits(entryCount: number, largestEntry: number, archiveSize: number): void {
  if (entryCount > MAX_ENTRIES)
    throw new ZipLimitError(
      `${entryCount} files are more than a ZIP archive without Zip64 holds (${MAX_ENTRIES}); upload fewer files or bundle them first`,
    );
  if (largestEntry > MAX_32 || archiveSize > MAX_32)
    throw new ZipLimitError(
      `the files add up to 4 GiB or more, more than a ZIP archive without Zip64 holds; upload them in several artifacts`,
    );
}

interface Written {
  name: Buffer;
  method: number;
  crc: number;
  compressed: Buffer;
  size: number;
  time: number;
  date: number;
  offset: number;
}

/** The archive of `entries`, in the order given. */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  checkZip32Limits(
    entries.length,
    entries.reduce((largest, e) => Math.max(largest, e.data.length), 0),
    0,
  );
  const seen = new Set<string>();
  const parts: Buffer[] = [];
  const written: Written[] = [];
  let offset = 0;
  for (const entry of entries) {
    const problem = entryNameProblem(entry.name);
    if (problem) throw new Error(`ZIP entry name ${JSON.stringify(entry.name)} ${problem}`);
    if (seen.has(entry.name)) throw new Error(`ZIP entry name ${JSON.stringify(entry.name)} is given twice`);
    seen.add(entry.name);
    const deflated = entry.data.length > 0 ? deflateRawSync(entry.data) : undefined;
    const smaller = deflated !== undefined && deflated.length < entry.data.length;
    const item: Written = {
      name: Buffer.from(entry.name, 'utf8'),
      method: smaller ? DEFLATED : STORED,
      crc: crc32(entry.data),
      compressed: smaller ? deflated : entry.data,
      size: entry.data.length,
      ...dosDateTime(entry.modified),
      offset,
    };
    const header = localHeader(item);
    parts.push(header, item.name, item.compressed);
    offset += header.length + item.name.length + item.compressed.length;
    checkZip32Limits(written.length + 1, item.size, offset);
    written.push(item);
  }
  const directoryStart = offset;
  for (const item of written) {
    const header = centralHeader(item);
    parts.push(header, item.name);
    offset += header.length + item.name.length;
  }
  checkZip32Limits(written.length, 0, offset + 22);
  parts.push(endOfCentralDirectory(written.length, offset - directoryStart, directoryStart));
  return Buffer.concat(parts);
}

/** The fields local and central headers share, from "version needed" to "file name length". */
function commonFields(item: Written, into: Buffer, at: number): void {
  into.writeUInt16LE(VERSION_NEEDED, at);
  into.writeUInt16LE(UTF8_NAMES, at + 2);
  into.writeUInt16LE(item.method, at + 4);
  into.writeUInt16LE(item.time, at + 6);
  into.writeUInt16LE(item.date, at + 8);
  into.writeUInt32LE(item.crc, at + 10);
  into.writeUInt32LE(item.compressed.length, at + 14);
  into.writeUInt32LE(item.size, at + 18);
  into.writeUInt16LE(item.name.length, at + 22);
}

function localHeader(item: Written): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_HEADER, 0);
  commonFields(item, header, 4);
  // extra field length (28) stays 0
  return header;
}

function centralHeader(item: Written): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(CENTRAL_HEADER, 0);
  header.writeUInt16LE(VERSION_MADE_BY, 4);
  commonFields(item, header, 6);
  // extra (30), comment (32) lengths, disk number start (34), internal attributes (36): 0
  header.writeUInt32LE(FILE_ATTRIBUTES, 38);
  header.writeUInt32LE(item.offset, 42);
  return header;
}

function endOfCentralDirectory(count: number, size: number, start: number): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  // this disk (4) and the directory's disk (6): 0
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(size, 12);
  record.writeUInt32LE(start, 16);
  // comment length (20): 0
  return record;
}
