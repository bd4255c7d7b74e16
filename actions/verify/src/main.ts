import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import {
  UserError,
  actionsCoreMask,
  actionsSummaryWriter,
  envInputSource,
  errorMessage,
  markdownTable,
  run,
} from '@slipway/core';
import type { ResolvedImage } from '@slipway/supply-chain/registry';
import type { CosignRuntime, InTotoStatement } from '@slipway/supply-chain/signing';
import { getInputs } from './inputs.ts';

export default async function main(): Promise<void> {
  await run(verifyImage);
}

async function verifyImage(): Promise<void> {
  const inputs = getInputs(envInputSource(), actionsCoreMask);
  // the registry client and Sigstore load only once the inputs are valid: a bad input fails fast
  const { openImage } = await import('@slipway/supply-chain/registry');
  const {
    attestedPerPlatform,
    constraintsCosignCannotCheck,
    cosignRuntimeForAction,
    cosignVerify,
    gatePolicyMismatch,
    gatePolicyPlatformsMismatch,
    indexPlatformImages,
    platformSubject,
    PREDICATE_TYPES,
    publicGoodTrustedRoot,
    readTrustedRoot,
    runnerTempDir,
    verifyImageNative,
  } = await import('@slipway/supply-chain/signing');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const tempDir = runnerTempDir();
  const trustedRootPath = inputs['trusted-root'] ? resolve(workspace, inputs['trusted-root']) : undefined;
  const trustedRootFile = trustedRootPath ? readTrustedRoot(trustedRootPath) : undefined;

  const { client, resolved } = await openImage(inputs.image, {
    credentials: inputs.registry,
    timeoutMs: inputs.timeout,
    mask: actionsCoreMask,
  });
  const what = inputs.type ? `${inputs.type} attestation` : 'signature';
  core.info(`Verifying the ${what} of ${resolved.pinned}.`);
  core.setOutput('digest', resolved.digest);
  core.setOutput('image', resolved.pinned);

  const gatePolicy = inputs.gatePolicy;
  // An image index (index-subjects.ts): the gate policy on the index must cover each of its platform
  // images; an SBOM attestation is verified on each platform image's own digest.
  const perPlatform = attestedPerPlatform(inputs.type);
  const platformImages =
    gatePolicy || perPlatform
      ? await indexPlatformImages(client, resolved.digest, resolved.pinned)
      : undefined;
  const platformNames = platformImages?.map((i) => i.platform).join(', ');
  if (platformImages && gatePolicy)
    core.info(`${resolved.pinned} is an image index; its gate policy must cover ${platformNames}.`);
  if (platformImages && perPlatform)
    core.info(
      `${resolved.pinned} is an image index; verifying the ${what} of each platform image (${platformNames}) on its own digest.`,
    );
  const rejectStatement = gatePolicy
    ? (statement: InTotoStatement) =>
        gatePolicyMismatch(statement.predicate, gatePolicy) ??
        gatePolicyPlatformsMismatch(statement.predicate, platformImages)
    : undefined;
  const verifyNatively = async (subject: ResolvedImage) => {
    const trustedRoot =
      trustedRootFile ?? (await publicGoodTrustedRoot(join(tempDir, 'slipway-sigstore-tuf'), inputs.timeout));
    const result = await verifyImageNative({
      image: subject,
      client,
      trustedRoot,
      policy: inputs.policy ?? {},
      kind: inputs.type ? 'attestation' : 'signature',
      predicateType: inputs.type ? PREDICATE_TYPES[inputs.type] : undefined,
      ignoreSct: inputs['insecure-ignore-sct'],
      rejectStatement,
    });
    for (const rejected of result.rejected) {
      core.info(`Not accepted: bundle ${rejected.manifestDigest}: ${rejected.reason}`);
    }
    for (const v of result.verified) {
      core.info(
        `Verified bundle ${v.manifestDigest}: signed by ${v.identity} (issuer ${v.issuer}), Rekor index ${v.logIndex ?? 'none'}.`,
      );
    }
    return result;
  };

  let cosignRuntime: CosignRuntime | undefined; // installed once, for the first subject
  const verifySubject = async (
    subject: ResolvedImage,
  ): Promise<{ verified: number; identities: string[] }> => {
    let verified: number;
    let identities: string[] = [];
    if (inputs.engine === 'native') {
      const result = await verifyNatively(subject);
      verified = result.verified.length;
      identities = [...new Set(result.verified.map((v) => v.identity))];
    } else {
      cosignRuntime ??= await cosignRuntimeForAction({
        version: inputs['cosign-version'],
        mask: actionsCoreMask,
      });
      verified = await cosignVerify(cosignRuntime, subject, {
        policy: inputs.policy,
        key: inputs.key,
        trustedRootPath,
        ignoreSct: inputs['insecure-ignore-sct'],
        ignoreTlog: inputs['insecure-ignore-tlog'],
        predicate: inputs.type,
        rejectStatement,
      });
      // cosign has no flag for these: check them on the Sigstore bundles of the digest with the
      // native verifier (same trust root, full policy), never skip them
      const unchecked = constraintsCosignCannotCheck(inputs.policy);
      if (unchecked.length > 0) {
        core.info(
          `cosign cannot check ${unchecked.join(', ')}: verifying the Sigstore bundles of ${subject.pinned} against the whole policy natively.`,
        );
        const result = await verifyNatively(subject).catch((error: unknown) => {
          throw new UserError(
            `cosign verified the ${what}, but the constraints it cannot check (${unchecked.join(', ')}) failed: ${errorMessage(error)}`,
            {
              hint: 'These constraints are read from the certificate of a Sigstore bundle attached to the digest as an OCI referrer (cosign v3 stores them so). Use engine native, or drop the constraint if the image is signed in another format.',
              cause: error,
            },
          );
        });
        verified = Math.min(verified, result.verified.length);
        identities = [...new Set(result.verified.map((v) => v.identity))];
      }
    }
    return { verified, identities };
  };

  let verified = Number.POSITIVE_INFINITY;
  const signers = new Set<string>();
  if (platformImages && perPlatform) {
    // every platform image must have a verified attestation: the fewest verified is the count
    for (const image of platformImages) {
      const subject = platformSubject(resolved, image);
      core.info(`Verifying the ${what} of ${image.platform}: ${subject.pinned}.`);
      const result = await verifySubject(subject).catch((error: unknown) => {
        throw new UserError(
          `The ${what} of ${image.platform} (${subject.pinned}) of the image index ${resolved.pinned} did not verify: ${errorMessage(error)}`,
          {
            hint: 'Each platform image of an index carries its own SBOM attestation (secure-image and build-sign-push attest them so); attest the missing one, or rebuild the image with the current build-sign-push.',
            cause: error,
          },
        );
      });
      verified = Math.min(verified, result.verified);
      for (const identity of result.identities) signers.add(identity);
    }
  } else {
    const result = await verifySubject(resolved);
    verified = result.verified;
    for (const identity of result.identities) signers.add(identity);
  }
  const identities = [...signers];
  core.setOutput('verified', String(verified));
  core.setOutput('identities', identities.join('\n'));
  core.info(`${verified} ${what}(s) of ${resolved.pinned} verified.`);
  const constraint = inputs.key
    ? inputs.key.kind === 'kms'
      ? inputs.key.uri
      : 'public key'
    : [
        inputs.policy?.identity ?? `/${inputs.policy?.identityRegexp}/`,
        ...(inputs.policy?.sourceRepository ? [`run in ${inputs.policy.sourceRepository}`] : []),
        ...(inputs.policy?.sourceRepositoryId ? [`repository ID ${inputs.policy.sourceRepositoryId}`] : []),
        ...(inputs.policy?.sourceRepositoryOwnerId
          ? [`owner ID ${inputs.policy.sourceRepositoryOwnerId}`]
          : []),
        ...(inputs.policy?.sourceRepositoryRef ? [`on ${inputs.policy.sourceRepositoryRef}`] : []),
        ...(inputs.policy?.allowedTriggers
          ? [`triggered by ${inputs.policy.allowedTriggers.join(' or ')}`]
          : []),
        ...(inputs.policy?.callerWorkflow ? [`from ${inputs.policy.callerWorkflow}`] : []),
        ...(gatePolicy
          ? [
              `gate at ${gatePolicy.maxFailOn} or stricter${gatePolicy.allowIgnoreUnfixed ? '' : ', unfixed not ignored'}`,
            ]
          : []),
      ].join(', ');
  await actionsSummaryWriter(
    `## Verified ${resolved.pinned}\n\n${markdownTable(
      ['checked', 'constraint', 'passed'],
      [[what, constraint, String(verified)]],
    )}\n`,
  );
}
