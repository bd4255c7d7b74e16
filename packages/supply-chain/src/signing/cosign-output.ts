/**
 * Reads what cosign leaves behind: the Sigstore bundle it writes with
 * `--bundle` (Rekor log index), the "tlog entry created with index: N" line it
 * prints on stderr, and the JSON `verify` / `verify-attestation` print on
 * stdout (simple-signing payloads, or DSSE envelopes one per line), checked to
 * be about the digest that was asked for.
 */
import {
  COSIGN_SIGN_PREDICATE_TYPE,
  SIMPLE_SIGNING_TYPE,
  parseStatement,
  statementCoversDigest,
  type InTotoStatement,
} from './signed-payloads.ts';

/** The first tlog entry's logIndex of a Sigstore bundle (v0.1–v0.3), or undefined. */
export function logIndexFromBundle(text: string): string | undefined {
  try {
    const bundle = JSON.parse(text) as {
      verificationMaterial?: { tlogEntries?: { logIndex?: string | number }[] };
    };
    const index = bundle.verificationMaterial?.tlogEntries?.[0]?.logIndex;
    return index === undefined ? undefined : String(index);
  } catch {
    return undefined;
  }
}

/** cosign prints `tlog entry created with index: 123456` when it uploads to Rekor. */
export function logIndexFromStderr(stderr: string): string | undefined {
  const matches = [...stderr.matchAll(/tlog entry created with index: (\d+)/g)];
  return matches.at(-1)?.[1];
}

export interface CosignVerifiedSignature {
  dockerReference: string;
  digest: string;
  optional: Record<string, unknown> | null;
}

/**
 * `cosign verify -o json` stdout: a JSON array of simple-signing payloads.
 * Returns the signatures about `digest`; throws when the output is not that
 * shape or nothing is about the digest (cosign said yes about something else).
 *
 * cosign v3 verifies every Sigstore bundle attached to the digest, attestations
 * included, and prints each as a payload whose `critical.type` is the
 * statement's predicate type: an image with only an SBOM attestation passes
 * `cosign verify`. Only signatures count here (`critical.type` of a signature,
 * or none).
 */
export function parseVerifyOutput(stdout: string, digest: string): CosignVerifiedSignature[] {
  const documents = jsonDocuments(stdout).flatMap((d) => (Array.isArray(d) ? d : [d]));
  const signatures: CosignVerifiedSignature[] = [];
  const otherTypes = new Set<string>();
  for (const doc of documents) {
    const critical = (doc as { critical?: Record<string, Record<string, string> | string> }).critical;
    const image = (critical?.image as Record<string, string> | undefined)?.['docker-manifest-digest'];
    if (image === undefined) continue;
    const type = critical?.type;
    if (typeof type === 'string' && type !== SIMPLE_SIGNING_TYPE && type !== COSIGN_SIGN_PREDICATE_TYPE) {
      otherTypes.add(type);
      continue;
    }
    signatures.push({
      dockerReference: (critical?.identity as Record<string, string> | undefined)?.['docker-reference'] ?? '',
      digest: image,
      optional: (doc as { optional?: Record<string, unknown> | null }).optional ?? null,
    });
  }
  const matching = signatures.filter((s) => s.digest === digest);
  if (matching.length === 0) {
    const attested =
      otherTypes.size > 0 ? ` (only attestations of type ${[...otherTypes].sort().join(', ')})` : '';
    throw new Error(
      `cosign verify printed no signature payload for ${digest}${attested} (stdout: ${stdout.slice(0, 200)})`,
    );
  }
  return matching;
}

/** `cosign verify-attestation -o json` stdout: DSSE envelopes; returns the statements about `digest`. */
export function parseVerifyAttestationOutput(stdout: string, digest: string): InTotoStatement[] {
  const statements: InTotoStatement[] = [];
  for (const doc of jsonDocuments(stdout)) {
    const payload = (doc as { payload?: unknown }).payload;
    if (typeof payload !== 'string') continue;
    const statement = parseStatement(Buffer.from(payload, 'base64'));
    if (statement && statementCoversDigest(statement, digest)) statements.push(statement);
  }
  if (statements.length === 0)
    throw new Error(
      `cosign verify-attestation printed no statement about ${digest} (stdout: ${stdout.slice(0, 200)})`,
    );
  return statements;
}

/** Whole-output JSON, else one JSON value per non-empty line (cosign prints both shapes). */
function jsonDocuments(stdout: string): unknown[] {
  const text = stdout.trim();
  if (text === '') return [];
  try {
    return [JSON.parse(text)];
  } catch {
    const docs: unknown[] = [];
    for (const line of text.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) continue;
      try {
        docs.push(JSON.parse(trimmed));
      } catch {
        // a log line that happens to start with a brace
      }
    }
    return docs;
  }
}
