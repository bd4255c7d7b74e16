import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBoundedBody } from './bounded-body.ts';

function body(chunks: string[], headers: Record<string, string> = {}) {
  const stream = Readable.from(chunks.map((c) => Buffer.from(c))) as Readable & { headers: typeof headers };
  stream.headers = headers;
  return stream;
}
const tooLarge = () => new Error('too large');

describe('readBoundedBody', () => {
  it('returns a body within the bound', async () => {
    expect((await readBoundedBody(body(['ab', 'cd']), 4, tooLarge)).toString()).toBe('abcd');
  });

  it('refuses a declared length over the bound before reading, and destroys the stream', async () => {
    const stream = body(['x'], { 'content-length': '5' });
    await expect(readBoundedBody(stream, 4, tooLarge)).rejects.toThrow('too large');
    expect(stream.destroyed).toBe(true);
  });

  it('stops at the chunk that passes the bound when no length is declared', async () => {
    let pulled = 0;
    const stream = Readable.from(
      (function* () {
        for (;;) {
          pulled++;
          yield Buffer.alloc(1024);
        }
      })(),
    ) as Readable & { headers: Record<string, string> };
    stream.headers = {};
    await expect(readBoundedBody(stream, 4096, tooLarge)).rejects.toThrow('too large');
    expect(pulled).toBe(5);
  });
});
