import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signRequest } from './aws-sigv4.ts';

interface Vector {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  sessionToken?: string;
  authz: string;
}
const suite = JSON.parse(readFileSync(join(import.meta.dirname, 'aws-sigv4-vectors.json'), 'utf8')) as {
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  service: string;
  date: string;
  cases: Vector[];
};

describe('signRequest against the AWS SigV4 test suite', () => {
  it.each(suite.cases.map((c) => [c.name, c]))('%s', async (_name, vector) => {
    const headers = await signRequest(
      {
        method: vector.method,
        url: vector.url,
        headers: vector.headers,
        ...(vector.body ? { body: vector.body } : {}),
      },
      { ...suite.credentials, ...(vector.sessionToken ? { sessionToken: vector.sessionToken } : {}) },
      { region: suite.region, service: suite.service },
      new Date(suite.date),
    );
    expect(headers.authorization).toBe(vector.authz);
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.host).toBe('example.amazonaws.com');
    expect(headers['x-amz-security-token']).toBe(vector.sessionToken);
    expect(headers['x-amz-content-sha256']).toBeUndefined();
  });

  it('signs a non-default port into the host header', async () => {
    const headers = await signRequest(
      { method: 'POST', url: 'http://127.0.0.1:8443/', headers: {} },
      suite.credentials,
      { region: 'us-east-1', service: 'sts' },
      new Date(suite.date),
    );
    expect(headers.host).toBe('127.0.0.1:8443');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/us-east-1\/sts\/aws4_request, SignedHeaders=host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });
});
