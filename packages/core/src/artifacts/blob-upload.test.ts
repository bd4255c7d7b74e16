/**
 * Put Blob at the network edge: a transport that fails the way ours does
 * (createHttpTransport names the URL in a timeout) must not carry the SAS
 * signature into a message. The happy path and the retried statuses run
 * against the artifact double in upload-artifact.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { NetworkError, type HttpRequest } from '../http-transport.ts';
import { putBlockBlob, withoutQuery } from './blob-upload.ts';
import { ArtifactUploadError } from './upload-retry.ts';

const signed =
  'https://productionresultssa1.blob.core.windows.net/actions-results/run/artifact.zip?sv=2025-01-05&sr=b&sp=cw&se=2026-12-07T06%3A00%3A00Z&sig=c2VjcmV0K3NpZy8%3D';
const SIG = 'c2VjcmV0K3NpZy8=';

describe('putBlockBlob', () => {
  it('a timeout names the blob without its query, and is retried', async () => {
    const masked: string[] = [];
    const logs: string[] = [];
    const sent: HttpRequest[] = [];
    const error = await putBlockBlob(signed, Buffer.from('PK'), {
      http: (request) => {
        sent.push(request);
        return Promise.reject(
          new NetworkError(`no response within 60000 ms from ${request.url}`, 'ETIMEDOUT', {
            url: request.url,
          }),
        );
      },
      log: (line) => logs.push(line),
      mask: (value) => masked.push(value),
      contentType: 'application/zip',
      retry: { maxAttempts: 2, sleep: async () => {} },
    }).catch((e: unknown) => e as ArtifactUploadError);
    expect(error).toBeInstanceOf(ArtifactUploadError);
    expect(error).toMatchObject({
      step: 'PutBlob',
      message:
        'no answer from blob storage to PUT https://productionresultssa1.blob.core.windows.net/actions-results/run/artifact.zip: no response within 60000 ms from https://productionresultssa1.blob.core.windows.net/actions-results/run/artifact.zip; gave up after 2 attempts',
    });
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      method: 'PUT',
      url: signed,
      headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-blob-content-type': 'application/zip' },
      body: Buffer.from('PK'),
    });
    expect(masked).toContain(SIG);
    for (const text of [...logs, (error as Error).message, (error as Error).stack ?? ''])
      expect(text).not.toMatch(/sig=|c2VjcmV0K3NpZy8/);
  });

  it('refuses an upload URL that is not http(s) before sending anything', async () => {
    await expect(
      putBlockBlob('file:///etc/passwd', Buffer.from('PK'), {
        http: () => Promise.reject(new Error('sent')),
        log: () => {},
        mask: () => {},
        contentType: 'application/zip',
      }),
    ).rejects.toThrow('the artifact service handed out an upload URL that is not an http(s) URL');
  });

  it('withoutQuery keeps origin and path', () => {
    expect(withoutQuery(signed)).toBe(
      'https://productionresultssa1.blob.core.windows.net/actions-results/run/artifact.zip',
    );
  });
});
