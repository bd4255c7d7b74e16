import { isAbsolute, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { envInputSource, InputError, InputReader, maskSecret, type InputSource } from '@slipway/core';
import {
  GITHUB_ACTIONS_ISSUER,
  validateIdentityPolicy,
  type IdentityPolicy,
} from '@slipway/supply-chain/signing';
import { parsePlanKey } from '@slipway/terraform/apply';
import { BUNDLE_SUFFIX } from '@slipway/terraform/apply';
import { readRootModuleInputs, type RootModuleInputs } from '@slipway/terraform/inputs';

/** The root-module inputs are tf-plan's (same names, same validation, from packages/terraform). */
export type Inputs = RootModuleInputs & {
  'sealed-plan': string;
  'plan-bundle': string;
  'plan-key': Buffer;
  policy: IdentityPolicy;
  'trusted-root': string | undefined;
  'on-mismatch': 'refuse' | 'replan';
  sha: string;
  'github-token': string;
};

function file(reader: InputReader, name: string, path: string): string {
  try {
    if (statSync(path).isFile()) return path;
  } catch {
    // reported below
  }
  throw new InputError(name, `names ${path}, which is not a file`, 'a file path relative to the workspace');
}

/** Reads and validates every input; nothing here runs a program or touches the network. */
export function getInputs(
  source: InputSource = envInputSource(),
  workspaceRoot = process.env.GITHUB_WORKSPACE ?? process.cwd(),
): Inputs {
  const reader = new InputReader(source);
  const token = reader.string('github-token');
  if (token) maskSecret(token);
  const keyText = reader.string('plan-key');
  if (keyText) maskSecret(keyText);
  const module = readRootModuleInputs(reader, workspaceRoot);
  const at = (p: string) => (isAbsolute(p) ? p : resolve(workspaceRoot, p));
  const sealed = file(
    reader,
    'sealed-plan',
    at(reader.string('sealed-plan', { required: true, form: 'a path' })),
  );
  const bundleInput = reader.string('plan-bundle');
  const bundle = file(reader, 'plan-bundle', bundleInput ? at(bundleInput) : `${sealed}${BUNDLE_SUFFIX}`);
  if (!keyText) throw new InputError('plan-key', 'is empty', 'the 32-byte base64 key tf-plan sealed with');
  const key = parsePlanKey(keyText);
  const identity = reader.string('certificate-identity');
  const identityRegexp = reader.string('certificate-identity-regexp');
  const issuer = reader.string('certificate-oidc-issuer') ?? GITHUB_ACTIONS_ISSUER;
  const policy: IdentityPolicy = {
    ...(identity ? { identity } : {}),
    ...(identityRegexp ? { identityRegexp } : {}),
    issuer,
  };
  validateIdentityPolicy(policy);
  const trustedRoot = reader.string('trusted-root');
  const onMismatch = reader.enumeration('on-mismatch', ['refuse', 'replan'] as const, 'refuse');
  const sha = reader.string('sha', {
    required: true,
    pattern: /^[0-9a-f]{40}$/,
    form: 'a full 40-character commit SHA (github.sha)',
  });
  if (!token) throw new InputError('github-token', 'is empty', 'a token with contents: write');
  return {
    ...module,
    'sealed-plan': sealed,
    'plan-bundle': bundle,
    'plan-key': key,
    policy,
    'trusted-root': trustedRoot ? file(reader, 'trusted-root', at(trustedRoot)) : undefined,
    'on-mismatch': onMismatch,
    sha,
    'github-token': token,
  };
}
