import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChecksums, sha256File } from './checksums.ts';

describe('parseChecksums', () => {
  it('reads goreleaser and sha256sum -b lines', () => {
    const a = 'a'.repeat(64);
    const b = 'B'.repeat(64);
    const text = `${a}  trivy_0.74.0_Linux-64bit.tar.gz\n${b} *cosign-linux-amd64\r\n\n`;
    expect([...parseChecksums(text, 'sums.txt')]).toEqual([
      ['trivy_0.74.0_Linux-64bit.tar.gz', a],
      ['cosign-linux-amd64', 'b'.repeat(64)],
    ]);
  });

  it('names the file and line of a malformed entry', () => {
    expect(() => parseChecksums(`${'a'.repeat(64)}  ok\nnot a checksum line\n`, 'sums.txt')).toThrow(
      "sums.txt line 2 is not '<sha256>  <file name>': 'not a checksum line'.",
    );
  });
});

describe('sha256File', () => {
  it('hashes a file on disk', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sha-')), 'f');
    writeFileSync(path, 'abc');
    expect(await sha256File(path)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
