import { InputError, InputReader, maskSecret } from '@slipway/core';
import { parsePlanKey } from '@slipway/terraform/apply';
import { inputLines, readRootModuleInputs, type RootModuleInputs } from '@slipway/terraform/inputs';
import { readServiceUrl } from '@slipway/supply-chain/signing';

export interface Inputs extends RootModuleInputs {
  'github-token': string | undefined;
  comment: boolean;
  redact: RegExp[];
  /** The commit planned (its tree goes into the sealed manifest); default GITHUB_SHA. */
  sha: string | undefined;
  /** With `seal: true`: the AES-256 key and the Sigstore services; undefined otherwise. */
  seal: { key: Buffer; fulcioUrl: string; rekorUrl: string } | undefined;
}

/** Reads and validates every input; nothing here runs a program or touches the network. */
export function getInputs(
  reader = new InputReader(),
  workspaceRoot = process.env.GITHUB_WORKSPACE ?? process.cwd(),
): Inputs {
  // masked before anything else can print it
  const token = reader.string('github-token');
  if (token) maskSecret(token);
  const planKey = reader.string('plan-key');
  if (planKey) maskSecret(planKey);
  const module = readRootModuleInputs(reader, workspaceRoot);
  const comment = reader.boolean('comment', true);
  if (comment && !token)
    throw new InputError(
      'github-token',
      'is empty while comment is true',
      'a token with pull-requests: write, or comment: false',
    );
  const redact = inputLines(reader, 'redact').map((source) => {
    try {
      return new RegExp(source, 'g');
    } catch (error) {
      throw new InputError(
        'redact',
        `has the line '${source}', which is not a regular expression (${(error as Error).message})`,
        'one JavaScript regular expression per line',
      );
    }
  });
  let seal: Inputs['seal'];
  if (reader.boolean('seal', false)) {
    if (!planKey)
      throw new InputError('plan-key', 'is empty while seal is true', 'a 32-byte base64 key from a secret');
    if (!token)
      throw new InputError('github-token', 'is empty while seal is true', 'a token with contents: read');
    seal = {
      key: parsePlanKey(planKey),
      fulcioUrl: readServiceUrl(reader, 'fulcio-url'),
      rekorUrl: readServiceUrl(reader, 'rekor-url'),
    };
  }
  const sha = reader.string('sha', {
    pattern: /^[0-9a-f]{40}$/,
    form: 'the full 40-character SHA of the checked-out commit',
  });
  return {
    ...module,
    sha,
    'github-token': token,
    comment,
    redact,
    seal,
  };
}
