/**
 * The two payloads Slipway signs about an image digest:
 * - the cosign "simple signing" document (what `cosign sign` signs and
 *   `cosign verify` prints), serialised deterministically so a verifier can
 *   rebuild the exact bytes from the image name and digest;
 * - an in-toto v1 Statement whose subject is the image digest (what
 *   `cosign attest` and GitHub's attest actions wrap in DSSE).
 */
import type { Predicate } from './predicate-types.ts';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';
/**
 * Predicate type of the statement cosign v3 `sign` signs: with its default (new) bundle format a
 * signature is a DSSE envelope over an in-toto statement about the digest with an empty predicate.
 */
export const COSIGN_SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1';

export interface SimpleSigningPayload {
  critical: {
    identity: { 'docker-reference': string };
    image: { 'docker-manifest-digest': string };
    type: string;
  };
  optional: Record<string, string> | null;
}

export interface InTotoStatement {
  _type: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: unknown;
}

/** `repository` is `registry/repository` without tag or digest. */
export function simpleSigningPayload(repository: string, digest: string): Buffer {
  const payload: SimpleSigningPayload = {
    critical: {
      identity: { 'docker-reference': repository },
      image: { 'docker-manifest-digest': digest },
      type: SIMPLE_SIGNING_TYPE,
    },
    optional: null,
  };
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

export function inTotoStatement(
  repository: string,
  digest: string,
  predicate: Pick<Predicate, 'predicateType' | 'content'>,
): InTotoStatement {
  const [algorithm, hex] = digest.split(':') as [string, string];
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: repository, digest: { [algorithm]: hex } }],
    predicateType: predicate.predicateType,
    predicate: predicate.content,
  };
}

/** The statement cosign v3 `sign` signs about a digest: its signature predicate type, an empty predicate. */
export function signatureStatement(repository: string, digest: string): InTotoStatement {
  return inTotoStatement(repository, digest, { predicateType: COSIGN_SIGN_PREDICATE_TYPE, content: {} });
}

/** Parses a statement out of a DSSE payload; undefined when it is not an in-toto statement. */
export function parseStatement(payload: Buffer): InTotoStatement | undefined {
  try {
    const value = JSON.parse(payload.toString('utf8')) as Partial<InTotoStatement>;
    if (
      typeof value._type !== 'string' ||
      !Array.isArray(value.subject) ||
      typeof value.predicateType !== 'string'
    )
      return undefined;
    return value as InTotoStatement;
  } catch {
    return undefined;
  }
}

/** True when one of the statement's subjects carries `digest` (`sha256:<hex>`). */
export function statementCoversDigest(statement: InTotoStatement, digest: string): boolean {
  const [algorithm, hex] = digest.split(':') as [string, string];
  return statement.subject.some((s) => s.digest?.[algorithm] === hex);
}
