import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError, InputReader, maskSecret } from '@slipway/core';
import { normaliseTfVersion, type TfTool } from '@slipway/terraform/install';
import { parsePlanKey } from '@slipway/terraform/apply';
import { readServiceUrl } from '@slipway/supply-chain/signing';

export interface Inputs {
  tool: TfTool;
  version: string | undefined;
  /** Absolute. */
  'working-directory': string;
  /** working-directory relative to the workspace ('.' for the root), for the comment and its marker. */
  directoryLabel: string;
  workspace: string;
  'var-files': string[];
  'backend-config': string[];
  'github-token': string | undefined;
  comment: boolean;
  redact: RegExp[];
  /** With `seal: true`: the AES-256 key and the Sigstore services; undefined otherwise. */
  seal: { key: Buffer; fulcioUrl: string; rekorUrl: string } | undefined;
}

const WORKSPACE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,89}$/;

/** Newline-separated items (values may contain commas); blank and `#` lines dropped. */
function lines(reader: InputReader, name: string): string[] {
  return (reader.string(name) ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
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
  const tool = reader.enumeration('tool', ['tofu', 'terraform'] as const, 'tofu');
  const rawVersion = reader.string('version');
  const version = rawVersion === undefined ? undefined : normaliseTfVersion(tool, rawVersion, 'version');
  const dirInput = reader.string('working-directory') ?? '.';
  const workingDirectory = isAbsolute(dirInput) ? dirInput : resolve(workspaceRoot, dirInput);
  if (!isDirectory(workingDirectory))
    throw new InputError(
      'working-directory',
      `names ${dirInput}, which is not a directory`,
      'a root module directory relative to the workspace',
    );
  const label = relative(workspaceRoot, workingDirectory).split('\\').join('/') || '.';
  const workspace =
    reader.string('workspace', {
      pattern: WORKSPACE,
      form: 'a workspace name of letters, digits, `-`, `_` and `.` (at most 90 characters)',
    }) ?? 'default';
  const varFiles = reader.list('var-files');
  for (const file of varFiles) {
    try {
      if (!statSync(resolve(workingDirectory, file)).isFile()) throw new Error('not a file');
    } catch {
      throw new InputError(
        'var-files',
        `names ${file}, which is not a file in ${label}`,
        'files relative to working-directory',
      );
    }
  }
  const backendConfig = lines(reader, 'backend-config');
  for (const item of backendConfig) {
    const eq = item.indexOf('=');
    if (eq > 0) {
      maskSecret(item.slice(eq + 1));
      continue;
    }
    try {
      if (!statSync(resolve(workingDirectory, item)).isFile()) throw new Error('not a file');
    } catch {
      throw new InputError(
        'backend-config',
        `has the item '${item}', which is neither key=value nor a file in ${label}`,
        '`key=value` lines or file paths relative to working-directory',
      );
    }
  }
  const comment = reader.boolean('comment', true);
  if (comment && !token)
    throw new InputError(
      'github-token',
      'is empty while comment is true',
      'a token with pull-requests: write, or comment: false',
    );
  const redact = lines(reader, 'redact').map((source) => {
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
  return {
    tool,
    version,
    'working-directory': workingDirectory,
    directoryLabel: label,
    workspace,
    'var-files': varFiles,
    'backend-config': backendConfig,
    'github-token': token,
    comment,
    redact,
    seal,
  };
}
