import { describe, expect, it } from 'vitest';
import {
  inTotoStatement,
  parseStatement,
  simpleSigningPayload,
  statementCoversDigest,
} from './signed-payloads.ts';

const D = `sha256:${'c'.repeat(64)}`;

describe('simpleSigningPayload', () => {
  it('is byte for byte the cosign simple-signing document', () => {
    expect(simpleSigningPayload('ghcr.io/octo-org/app', D).toString()).toBe(
      `{"critical":{"identity":{"docker-reference":"ghcr.io/octo-org/app"},"image":{"docker-manifest-digest":"${D}"},"type":"cosign container image signature"},"optional":null}`,
    );
  });
});

describe('in-toto statements', () => {
  const predicate = {
    kind: 'spdxjson' as const,
    predicateType: 'https://spdx.dev/Document',
    content: { spdxVersion: 'SPDX-2.3' },
    path: 'x',
  };

  it('puts the image digest in the subject', () => {
    expect(inTotoStatement('ghcr.io/octo-org/app', D, predicate)).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'ghcr.io/octo-org/app', digest: { sha256: 'c'.repeat(64) } }],
      predicateType: 'https://spdx.dev/Document',
      predicate: { spdxVersion: 'SPDX-2.3' },
    });
  });

  it('round-trips and checks the subject digest', () => {
    const statement = parseStatement(Buffer.from(JSON.stringify(inTotoStatement('r', D, predicate))));
    expect(statement && statementCoversDigest(statement, D)).toBe(true);
    expect(statement && statementCoversDigest(statement, `sha256:${'d'.repeat(64)}`)).toBe(false);
    expect(parseStatement(Buffer.from('{"payload":1}'))).toBeUndefined();
    expect(parseStatement(Buffer.from('not json'))).toBeUndefined();
  });
});
