/**
 * The ZIP writer checked by readers that share no code with it: Info-ZIP's
 * `unzip` (a Debian package in scripts/system-deps.js) tests every CRC and
 * extracts entries, Python's `zipfile` reads the headers (names, flags,
 * methods, DOS times, modes) and the contents back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MAX_32,
  MAX_ENTRIES,
  ZipLimitError,
  checkZip32Limits,
  dosDateTime,
  entryNameProblem,
  writeZip,
  type ZipEntry,
} from './zip-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'zip-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
function onDisk(zip: Buffer): string {
  const path = join(dir, `${++count}.zip`);
  writeFileSync(path, zip);
  return path;
}

const READ_WITH_PYTHON = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    infos = z.infolist()
    print(json.dumps({
        "bad": z.testzip(),
        "entries": [{
            "name": i.filename, "flags": i.flag_bits, "method": i.compress_type,
            "date_time": list(i.date_time), "size": i.file_size, "compressed": i.compress_size,
            "mode": oct(i.external_attr >> 16), "sha256": hashlib.sha256(z.read(i)).hexdigest(),
        } for i in infos[:50]],
        "count": len(infos),
    }))
`;
interface PythonView {
  bad: string | null;
  entries: {
    name: string;
    flags: number;
    method: number;
    date_time: number[];
    size: number;
    compressed: number;
    mode: string;
    sha256: string;
  }[];
  count: number;
}
const python = (zip: Buffer): PythonView =>
  JSON.parse(
    execFileSync('python3', ['-c', READ_WITH_PYTHON, onDisk(zip)], { encoding: 'utf8' }),
  ) as PythonView;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const when = new Date(2024, 1, 29, 13, 45, 31); // local time, as DOS times are
const json = Buffer.from(JSON.stringify({ packages: Array.from({ length: 200 }, (_, i) => `pkg-${i}`) }));
const noise = randomBytes(3000);
const entries: ZipEntry[] = [
  { name: 'sbom.spdx.json', data: json, modified: when },
  { name: 'nested/deeper/noise.bin', data: noise, modified: when },
  { name: 'empty.txt', data: Buffer.alloc(0), modified: when },
  { name: 'sbom-ü-日本.json', data: Buffer.from('{"ü":"日本"}\n'), modified: when },
];

describe('writeZip, read back by unzip and Python', () => {
  const zip = writeZip(entries);

  it('passes unzip -t: every CRC and size checks out', () => {
    const test = spawnSync('unzip', ['-t', onDisk(zip)], { encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toContain('No errors detected in compressed data');
    expect(test.stdout.match(/ {4}testing: .* OK/g)).toHaveLength(4);
  });

  it('unzip extracts each entry byte for byte', () => {
    const path = onDisk(zip);
    for (const name of ['sbom.spdx.json', 'nested/deeper/noise.bin', 'empty.txt'])
      expect(execFileSync('unzip', ['-p', path, name])).toEqual(entries.find((e) => e.name === name)!.data);
  });

  it('Python reads names (UTF-8 flag), methods, DOS times, modes and contents', () => {
    const view = python(zip);
    expect(view.bad).toBeNull();
    expect(view.entries).toEqual(
      entries.map((e) => ({
        name: e.name,
        flags: 0x0800,
        // deflated when that is smaller: the long JSON; random bytes, short text and nothing are stored
        method: e.data === json ? 8 : 0,
        date_time: [2024, 2, 29, 13, 45, 30],
        size: e.data.length,
        compressed: expect.any(Number) as number,
        mode: '0o100644',
        sha256: sha256(e.data),
      })),
    );
    expect(view.entries[0]!.compressed).toBeLessThan(json.length / 2);
    expect(view.entries[1]!.compressed).toBe(noise.length);
  });

  it('an empty archive is the bare end record, which Python reads as no entries', () => {
    const empty = writeZip([]);
    expect(empty).toHaveLength(22);
    expect(python(empty)).toEqual({ bad: null, entries: [], count: 0 });
  });
});

describe('Zip64 limits: refused, not written wrong', () => {
  it('writes the most entries a plain archive holds, and refuses one more', () => {
    const none = Buffer.alloc(0);
    const many = Array.from({ length: MAX_ENTRIES }, (_, i) => ({
      name: `f/${i}`,
      data: none,
      modified: when,
    }));
    expect(python(writeZip(many)).count).toBe(65534);
    expect(() => writeZip([...many, { name: 'one-more', data: none, modified: when }])).toThrow(
      ZipLimitError,
    );
    expect(() => writeZip([...many, { name: 'one-more', data: none, modified: when }])).toThrow(
      'Cannot write the ZIP archive: 65535 files are more than a ZIP archive without Zip64 holds (65534); upload fewer files or bundle them first.',
    );
  });

  it.each([
    [MAX_ENTRIES, MAX_32, MAX_32, undefined],
    [MAX_ENTRIES + 1, 0, 0, /65535 files are more than/],
    [1, MAX_32 + 1, 0, /4 GiB or more/],
    [1, 0, 4 * 1024 ** 3, /4 GiB or more/],
  ])('%i entries, largest %i bytes, archive %i bytes', (entryCount, largest, size, refusal) => {
    const check = () => checkZip32Limits(entryCount, largest, size);
    if (refusal) expect(check).toThrow(refusal);
    else expect(check).not.toThrow();
  });
});

describe('entry names', () => {
  it.each([
    ['', 'is empty'],
    ['a\\b.json', 'contains a backslash (a path separator on Windows)'],
    ['/etc/passwd', 'is absolute'],
    ['C:/x', 'is absolute'],
    ['a//b', 'has an empty, `.` or `..` segment'],
    ['../b', 'has an empty, `.` or `..` segment'],
    ['a/./b', 'has an empty, `.` or `..` segment'],
    ['dir/', 'has an empty, `.` or `..` segment'],
    ['nul\0', 'contains a NUL character'],
    ['é'.repeat(32768), 'is longer than 65535 bytes'],
  ])('refuses %j: %s', (name, problem) => {
    expect(entryNameProblem(name)).toBe(problem);
    expect(() => writeZip([{ name, data: Buffer.from('x'), modified: when }])).toThrow(problem);
  });

  it('accepts nested relative UTF-8 names and refuses the same name twice', () => {
    expect(entryNameProblem('a/b..c/日本.json')).toBeUndefined();
    const twice = [0, 1].map(() => ({ name: 'a.json', data: Buffer.from('x'), modified: when }));
    expect(() => writeZip(twice)).toThrow('ZIP entry name "a.json" is given twice');
  });
});

describe('dosDateTime', () => {
  const fields = ({ time, date }: { time: number; date: number }) => [
    (date >> 9) + 1980,
    (date >> 5) & 15,
    date & 31,
    time >> 11,
    (time >> 5) & 63,
    (time & 31) * 2,
  ];
  it.each([
    [new Date(2024, 1, 29, 13, 45, 31), [2024, 2, 29, 13, 45, 30]],
    [new Date(1980, 0, 1, 0, 0, 0), [1980, 1, 1, 0, 0, 0]],
    [new Date(1970, 0, 1, 12, 0, 0), [1980, 1, 1, 0, 0, 0]],
    [new Date(2107, 11, 31, 23, 59, 59), [2107, 12, 31, 23, 59, 58]],
    [new Date(2200, 5, 1), [2107, 12, 31, 23, 59, 58]],
    [new Date(Number.NaN), [1980, 1, 1, 0, 0, 0]],
  ])('%s', (date, expected) => {
    expect(fields(dosDateTime(date))).toEqual(expected);
  });
});
