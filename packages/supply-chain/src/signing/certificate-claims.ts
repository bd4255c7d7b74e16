/**
 * GitHub workflow claims that Fulcio copies from the OIDC token into the
 * signing certificate (Sigstore's OID arc 1.3.6.1.4.1.57264.1, documented in
 * Fulcio's `docs/oid-info.md`). The legacy extensions (.1.2–.1.6) hold the raw
 * claim bytes; the newer ones (.1.8 onwards) hold a DER-encoded UTF8String.
 */
import type { ObjectIdentifierValuePair } from '@sigstore/protobuf-specs';

/** GitHub Workflow Repository (legacy, raw bytes): `owner/repo`, what cosign's --certificate-github-workflow-repository checks. */
export const OID_GITHUB_WORKFLOW_REPOSITORY = '1.3.6.1.4.1.57264.1.5';
/** GitHub Workflow Trigger (legacy, raw bytes): the event name; what --certificate-github-workflow-trigger checks. */
export const OID_GITHUB_WORKFLOW_TRIGGER = '1.3.6.1.4.1.57264.1.2';
/** GitHub Workflow Ref (legacy, raw bytes): the `ref` claim; what --certificate-github-workflow-ref checks. */
export const OID_GITHUB_WORKFLOW_REF = '1.3.6.1.4.1.57264.1.6';
/** Source Repository URI (DER UTF8String): `https://github.com/owner/repo`. */
export const OID_SOURCE_REPOSITORY_URI = '1.3.6.1.4.1.57264.1.12';
/** Source Repository Ref (DER UTF8String): the `ref` claim, e.g. `refs/heads/main` (the caller's, for a reusable workflow). */
export const OID_SOURCE_REPOSITORY_REF = '1.3.6.1.4.1.57264.1.14';
/** Source Repository Identifier (DER UTF8String): the numeric `repository_id`. */
export const OID_SOURCE_REPOSITORY_ID = '1.3.6.1.4.1.57264.1.15';
/** Source Repository Owner Identifier (DER UTF8String): the numeric `repository_owner_id`. */
export const OID_SOURCE_REPOSITORY_OWNER_ID = '1.3.6.1.4.1.57264.1.17';
/** Build Config URI (DER UTF8String): `https://github.com/` + `workflow_ref`, the caller's top-level workflow. */
export const OID_BUILD_CONFIG_URI = '1.3.6.1.4.1.57264.1.18';
/** Build Trigger (DER UTF8String): the `event_name` claim. */
export const OID_BUILD_TRIGGER = '1.3.6.1.4.1.57264.1.20';

const UTF8_STRING_TAG = 0x0c;

/** `owner/repo` as GitHub spells it: what `github.repository` gives a workflow. */
export const REPOSITORY_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * The repository whose workflow run obtained the certificate, from the legacy
 * extension when present, else from the Source Repository URI's path.
 * Undefined when the certificate carries neither (not a GitHub Actions cert).
 */
export function certificateSourceRepository(
  oids: readonly ObjectIdentifierValuePair[] | undefined,
): string | undefined {
  const legacy = extensionValue(oids, OID_GITHUB_WORKFLOW_REPOSITORY);
  if (legacy) return legacy.toString('utf8');
  const uri = extensionValue(oids, OID_SOURCE_REPOSITORY_URI);
  const text = uri ? derUtf8String(uri) : undefined;
  if (!text) return undefined;
  try {
    return new URL(text).pathname.replace(/^\//, '');
  } catch {
    return undefined;
  }
}

/**
 * The run claims the verify policy checks, each from its v2 (DER UTF8String)
 * extension, falling back to the legacy raw-bytes extension where Fulcio has
 * one. A claim the certificate lacks is undefined (and fails any constraint on it).
 */
export interface WorkflowClaims {
  sourceRepository?: string;
  /** `refs/heads/main`, `refs/pull/7/merge`, `refs/tags/v1`… */
  sourceRepositoryRef?: string;
  /** Event name: `push`, `pull_request`, `workflow_dispatch`… */
  trigger?: string;
  /** The caller's workflow, `https://HOST/OWNER/REPO/.github/workflows/FILE@REF`. */
  buildConfigUri?: string;
  sourceRepositoryId?: string;
  sourceRepositoryOwnerId?: string;
}

export function certificateWorkflowClaims(
  oids: readonly ObjectIdentifierValuePair[] | undefined,
): WorkflowClaims {
  const claims: WorkflowClaims = {};
  const set = (key: keyof WorkflowClaims, value: string | undefined) => {
    if (value !== undefined) claims[key] = value;
  };
  set('sourceRepository', certificateSourceRepository(oids));
  set(
    'sourceRepositoryRef',
    v2Value(oids, OID_SOURCE_REPOSITORY_REF) ?? legacyValue(oids, OID_GITHUB_WORKFLOW_REF),
  );
  set('trigger', v2Value(oids, OID_BUILD_TRIGGER) ?? legacyValue(oids, OID_GITHUB_WORKFLOW_TRIGGER));
  set('buildConfigUri', v2Value(oids, OID_BUILD_CONFIG_URI));
  set('sourceRepositoryId', v2Value(oids, OID_SOURCE_REPOSITORY_ID));
  set('sourceRepositoryOwnerId', v2Value(oids, OID_SOURCE_REPOSITORY_OWNER_ID));
  return claims;
}

function v2Value(oids: readonly ObjectIdentifierValuePair[] | undefined, dotted: string): string | undefined {
  const der = extensionValue(oids, dotted);
  return der ? derUtf8String(der) : undefined;
}

function legacyValue(
  oids: readonly ObjectIdentifierValuePair[] | undefined,
  dotted: string,
): string | undefined {
  return extensionValue(oids, dotted)?.toString('utf8');
}

function extensionValue(
  oids: readonly ObjectIdentifierValuePair[] | undefined,
  dotted: string,
): Buffer | undefined {
  const pair = oids?.find((o) => o.oid?.id.join('.') === dotted);
  return pair ? Buffer.from(pair.value) : undefined;
}

/** Decodes a DER UTF8String (tag 0x0c, short or long definite length); undefined if malformed. */
export function derUtf8String(der: Buffer): string | undefined {
  if (der.length < 2 || der[0] !== UTF8_STRING_TAG) return undefined;
  const first = der[1] as number;
  let length = first;
  let offset = 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4 || der.length < 2 + octets) return undefined;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (der[2 + i] as number);
    offset = 2 + octets;
  }
  if (offset + length !== der.length) return undefined;
  return der.subarray(offset).toString('utf8');
}
