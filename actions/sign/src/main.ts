import { resolve } from 'node:path';
import * as core from '@actions/core';
import {
  UserError,
  envInputSource,
  actionsCoreMask,
  actionsSummaryWriter,
  markdownTable,
  run,
} from '@slipway/core';
import type { ReferrerSnapshot } from '@slipway/supply-chain/registry';
import { getInputs } from './inputs.ts';

export default async function main(): Promise<void> {
  await run(signImage);
}

async function signImage(): Promise<void> {
  const inputs = getInputs(envInputSource(), actionsCoreMask);
  // the registry client and Sigstore load only once the inputs are valid: a bad input fails fast
  const { openImage, snapshotReferrers } = await import('@slipway/supply-chain/registry');
  const {
    attestImageNative,
    cosignRuntimeForAction,
    cosignSign,
    readPredicate,
    readTrustedRoot,
    signImageNative,
    SIGSTORE_BUNDLE_MEDIA_TYPE,
  } = await import('@slipway/supply-chain/signing');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const predicate = inputs.predicate
    ? readPredicate(resolve(workspace, inputs.predicate.path), inputs.predicate.kind)
    : undefined;
  const trustedRootPath = inputs['trusted-root'] ? resolve(workspace, inputs['trusted-root']) : undefined;
  if (trustedRootPath) readTrustedRoot(trustedRootPath); // a bad file fails before any network call

  const { client, resolved, credentials } = await openImage(inputs.image, {
    credentials: inputs.registry,
    timeoutMs: inputs.timeout,
    mask: actionsCoreMask,
  });
  core.info(
    resolved.resolvedFromTag
      ? `Resolved ${resolved.reference.registry}/${resolved.reference.repository}:${resolved.reference.tag ?? 'latest'} to ${resolved.digest}; signing the digest.`
      : `Signing ${resolved.pinned}.`,
  );
  core.setOutput('digest', resolved.digest);
  core.setOutput('image', resolved.pinned);
  const services = {
    fulcioUrl: inputs['fulcio-url'],
    rekorUrl: inputs['rekor-url'],
    tlogUpload: inputs['tlog-upload'],
    timeoutMs: inputs.timeout,
  };
  const rows: string[][] = [['image', resolved.pinned]];

  if (inputs.engine === 'native') {
    const identityToken = await githubIdToken();
    const options = { ...services, identityToken, credentials };
    if (inputs.sign) {
      const signed = await signImageNative(resolved, options);
      core.info(`Signature bundle pushed as ${signed.reference}.`);
      core.setOutput('signature', signed.reference);
      if (signed.logIndex) core.setOutput('rekor-log-index', signed.logIndex);
      rows.push(
        ['signature', signed.reference],
        ['signature Rekor index', signed.logIndex ?? '(not logged)'],
      );
    }
    if (predicate) {
      const attested = await attestImageNative(resolved, predicate, options);
      core.info(`Attestation (${predicate.predicateType}) bundle pushed as ${attested.reference}.`);
      core.setOutput('attestation', attested.reference);
      if (attested.logIndex) core.setOutput('attestation-rekor-log-index', attested.logIndex);
      rows.push(
        ['attestation', attested.reference],
        ['attestation Rekor index', attested.logIndex ?? '(not logged)'],
      );
    }
  } else {
    const runtime = await cosignRuntimeForAction({
      version: inputs['cosign-version'],
      mask: actionsCoreMask,
    });
    // cosign prints no reference for the bundles it pushes: find them as new referrers of the digest
    const snapshot = await snapshotReferrers(client, resolved.digest, SIGSTORE_BUNDLE_MEDIA_TYPE).catch(
      (error: unknown) => {
        core.warning(
          `Listing the referrers of ${resolved.pinned} failed (${(error as Error).message}); the signature and attestation outputs stay empty.`,
        );
        return undefined;
      },
    );
    const pushed = async (snap: ReferrerSnapshot | undefined) => {
      const added = (await snap?.added().catch(() => [])) ?? [];
      return added[0]
        ? `${resolved.reference.registry}/${resolved.reference.repository}@${added[0].digest}`
        : undefined;
    };
    if (inputs.sign) {
      const signed = await cosignSign(runtime, resolved, { key: inputs.key, services, trustedRootPath });
      const reference = await pushed(snapshot);
      if (reference) core.setOutput('signature', reference);
      if (signed.logIndex) core.setOutput('rekor-log-index', signed.logIndex);
      rows.push(
        ['signature', reference ?? '(not found as a referrer)'],
        ['signature Rekor index', signed.logIndex ?? '(not reported)'],
      );
    }
    if (predicate) {
      const attested = await cosignSign(runtime, resolved, {
        key: inputs.key,
        services,
        predicate,
        trustedRootPath,
      });
      const reference = await pushed(snapshot);
      if (reference) core.setOutput('attestation', reference);
      if (attested.logIndex) core.setOutput('attestation-rekor-log-index', attested.logIndex);
      rows.push(
        ['attestation', reference ?? '(not found as a referrer)'],
        ['attestation Rekor index', attested.logIndex ?? '(not reported)'],
      );
    }
  }
  await actionsSummaryWriter(`## Signed ${resolved.pinned}\n\n${markdownTable(['', ''], rows)}\n`);
}

/** The job's OIDC token for Fulcio (audience `sigstore`); @actions/core masks it. */
async function githubIdToken(): Promise<string> {
  if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL || !process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new UserError('Keyless signing needs the job OIDC token, and this job cannot request one.', {
      hint: 'Add `permissions: id-token: write` to the job (or the workflow).',
    });
  }
  try {
    return await core.getIDToken('sigstore');
  } catch (error) {
    throw new UserError(`Requesting the GitHub OIDC token failed: ${(error as Error).message}`, {
      hint: 'Add `permissions: id-token: write` to the job, and retry if GitHub had an outage.',
      cause: error,
    });
  }
}
