import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { InputReader, actionsCoreMask, actionsSummaryWriter, markdownTable, run } from '@slipway/core';
import { openImage } from '@slipway/supply-chain/registry/open-image';
import { cosignVerify } from '@slipway/supply-chain/signing/cosign-engine';
import { verifyImageNative } from '@slipway/supply-chain/signing/native-verifier';
import { PREDICATE_TYPES } from '@slipway/supply-chain/signing/predicate-types';
import { publicGoodTrustedRoot, readTrustedRoot } from '@slipway/supply-chain/signing/trusted-root';
import { installForAction } from '@slipway/supply-chain/tools/action-install';
import { getInputs } from './inputs.ts';

export default async function main(): Promise<void> {
  await run(verifyImage);
}

async function verifyImage(): Promise<void> {
  const inputs = getInputs(new InputReader(), actionsCoreMask);
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const tempDir = process.env.RUNNER_TEMP ?? resolve(workspace, '..');
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

  let verified: number;
  let identities: string[] = [];
  if (inputs.engine === 'native') {
    const trustedRoot =
      trustedRootFile ?? (await publicGoodTrustedRoot(join(tempDir, 'slipway-sigstore-tuf'), inputs.timeout));
    const result = await verifyImageNative({
      image: resolved,
      client,
      trustedRoot,
      policy: inputs.policy ?? {},
      kind: inputs.type ? 'attestation' : 'signature',
      predicateType: inputs.type ? PREDICATE_TYPES[inputs.type] : undefined,
      ignoreSct: inputs['insecure-ignore-sct'],
    });
    for (const rejected of result.rejected) {
      core.info(`Not accepted: bundle ${rejected.manifestDigest}: ${rejected.reason}`);
    }
    verified = result.verified.length;
    identities = [...new Set(result.verified.map((v) => v.identity))];
    for (const v of result.verified) {
      core.info(
        `Verified bundle ${v.manifestDigest}: signed by ${v.identity} (issuer ${v.issuer}), Rekor index ${v.logIndex ?? 'none'}.`,
      );
    }
  } else {
    const cosign = await installForAction({
      tool: 'cosign',
      ...(inputs['cosign-version'] ? { version: inputs['cosign-version'] } : {}),
    });
    verified = await cosignVerify(
      {
        cosignPath: cosign.path,
        exec: async (command, args, options) =>
          getExecOutput(command, args, { env: options.env, ignoreReturnCode: true }),
        tempDir,
        env: Object.fromEntries(
          Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
        ),
        mask: actionsCoreMask,
      },
      resolved,
      {
        policy: inputs.policy,
        key: inputs.key,
        trustedRootPath,
        ignoreSct: inputs['insecure-ignore-sct'],
        ignoreTlog: inputs['insecure-ignore-tlog'],
        predicate: inputs.type,
      },
    );
  }
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
      ].join(', ');
  await actionsSummaryWriter(
    `## Verified ${resolved.pinned}\n\n${markdownTable(
      ['checked', 'constraint', 'passed'],
      [[what, constraint, String(verified)]],
    )}\n`,
  );
}
