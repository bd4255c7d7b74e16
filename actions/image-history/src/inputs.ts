import { InputError, InputReader, maskSecret } from '@slipway/core';
import {
  digestProblem,
  isKustomizationPath,
  parseValuePath,
  TAG_RE,
  type PathSegment,
} from '@slipway/gitops';

export interface Inputs {
  token: string;
  owner: string;
  repo: string;
  ref: string | undefined;
  file: string;
  /** The kustomization's `images` entry name (required for a kustomization). */
  image: string | undefined;
  /** Helm values files: the key holding repository/tag/digest. */
  key: PathSegment[];
  failed: string | undefined;
  'also-bad': string[];
  depth: number;
}

const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
const VERSION_FORM = 'a digest `sha256:<64 hex>` or a tag';

/** Reads and validates every input; nothing touches the network before this returns. */
export function getInputs(reader = new InputReader()): Inputs {
  const token = reader.string('token', { required: true, form: 'a token that can read the ops repository' });
  maskSecret(token);
  const repository = reader.string('repository', {
    required: true,
    pattern: REPOSITORY,
    form: '`owner/name`',
  });
  const [owner, repo] = repository.split('/') as [string, string];
  const file = reader.string('file', { required: true, form: 'a path in the ops repository' });
  if (file.startsWith('/') || file.split('/').includes('..'))
    throw new InputError(
      'file',
      `'${file}' leaves the repository`,
      'a relative path inside the ops repository',
    );
  const imageOptions = { pattern: /^[^\s@:=]+$/, form: "the `images` entry's name" };
  // a kustomization needs the entry's name; a Helm values file is read at `key`
  const image = isKustomizationPath(file)
    ? reader.string('image', { required: true, ...imageOptions })
    : reader.string('image', imageOptions);
  const failed = reader.string('failed');
  const alsoBad = reader.list('also-bad');
  for (const [name, value] of [
    ...(failed ? [['failed', failed]] : []),
    ...alsoBad.map((v) => ['also-bad', v]),
  ])
    checkVersion(name!, value!);
  return {
    token,
    owner,
    repo,
    ref: reader.string('ref', { pattern: /^[^\s~^:?*[\\]+$/, form: 'a branch, tag or commit' }),
    file,
    image,
    key: parseValuePath(reader.string('key') ?? 'image', "Input 'key'"),
    failed,
    'also-bad': alsoBad,
    depth: reader.integer('depth', { default: 20, min: 1, max: 100 })!,
  };
}

function checkVersion(input: string, value: string): void {
  const bad = value.startsWith('sha256:') ? digestProblem(value) !== undefined : !TAG_RE.test(value);
  if (bad) throw new InputError(input, `'${value}' is not an image version`, VERSION_FORM);
}
