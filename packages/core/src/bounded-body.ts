/**
 * Reading an HTTP response body with a size bound: refused before reading when Content-Length
 * already says it is too large, and as soon as the bytes read pass the bound otherwise (the
 * connection is destroyed, nothing more is buffered). `tooLarge` makes the caller's typed error.
 */

/** The parts of a Node.js IncomingMessage a bounded read needs. */
export interface BodyStream extends AsyncIterable<unknown> {
  headers: Record<string, string | string[] | undefined>;
  destroy(): unknown;
}

/** Throws `tooLarge()` when Content-Length exceeds `limit`; returns the declared length (NaN if none). */
export function checkDeclaredLength(message: BodyStream, limit: number, tooLarge: () => Error): number {
  const declared = Number(message.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    message.destroy();
    throw tooLarge();
  }
  return declared;
}

/** The whole body, or `tooLarge()` once it passes `limit` bytes. */
export async function readBoundedBody(
  message: BodyStream,
  limit: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  checkDeclaredLength(message, limit, tooLarge);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of message) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    if (bytes > limit) {
      message.destroy();
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
