/**
 * The artifact's bytes to the Azure blob the service signed an upload URL for:
 * one Put Blob (`PUT <signed url>` with `x-ms-blob-type: BlockBlob` and the
 * body's Content-Length; 201 Created). Azure takes up to 5000 MiB in one Put
 * Blob from service version 2019-12-12 and 256 MiB before; the SAS (`sv`) picks
 * the version, so this client stays under 256 MiB. The URL's query holds the
 * signature: it is masked, and no message or log line here contains it. 5xx,
 * 429 and failures without a response are retried (Put Blob replaces the
 * blob, so repeating it is safe).
 */
import { errorMessage } from '../errors.ts';
import type { HttpTransport } from '../http-transport.ts';
import { maskSecret, redact, type MaskSink } from '../masking.ts';
import { failedStatusError, noAnswerError, retryStep, type StepRetryOptions } from './upload-retry.ts';

/** The largest body one Put Blob takes under every service version a SAS may name. */
export const MAX_SINGLE_PUT_BYTES = 256 * 1024 * 1024;

export interface BlobUploadOptions extends StepRetryOptions {
  http: HttpTransport;
  mask: MaskSink;
  /** Stored as the blob's Content-Type. */
  contentType: string;
}

/** The URL without its query (the SAS), fit for messages. */
export function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

async function putOnce(signedUrl: string, body: Buffer, options: BlobUploadOptions): Promise<void> {
  const shown = withoutQuery(signedUrl);
  const sig = new URL(signedUrl).searchParams.get('sig');
  let response;
  try {
    response = await options.http({
      method: 'PUT',
      url: signedUrl,
      headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-blob-content-type': options.contentType },
      body,
    });
  } catch (error) {
    const said = redact(errorMessage(error).split(signedUrl).join(shown), sig ? [sig] : []);
    throw noAnswerError('PutBlob', `no answer from blob storage to PUT ${shown}: ${said}`, error);
  }
  if (response.status === 201) return;
  const code = response.headers['x-ms-error-code'];
  throw failedStatusError(
    'PutBlob',
    `blob storage answered PUT ${shown} with HTTP ${response.status}${code ? ` (${code})` : ''}`,
    response,
    code,
  );
}

/** Uploads `body` as the block blob at `signedUrl` (its signature masked first), retrying transient failures. */
export async function putBlockBlob(
  signedUrl: string,
  body: Buffer,
  options: BlobUploadOptions,
): Promise<void> {
  if (!URL.canParse(signedUrl) || !/^https?:$/.test(new URL(signedUrl).protocol))
    throw new Error('the artifact service handed out an upload URL that is not an http(s) URL');
  const sig = new URL(signedUrl).searchParams.get('sig');
  if (sig) maskSecret(sig, options.mask);
  if (body.length > MAX_SINGLE_PUT_BYTES)
    throw new Error(`${body.length} bytes are more than one Put Blob takes (${MAX_SINGLE_PUT_BYTES})`);
  await retryStep('PutBlob', () => putOnce(signedUrl, body, options), options);
}
