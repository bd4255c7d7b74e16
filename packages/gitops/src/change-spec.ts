/**
 * The list of changes one bump makes, as the `changes` input (YAML) gives it:
 *
 *   - file: apps/web/overlays/prod/kustomization.yaml
 *     image: web=ghcr.io/acme/web:1.4.2@sha256:…      # kustomize: set image
 *   - file: charts/api/values.yaml
 *     image: ghcr.io/acme/api:1.4.2@sha256:…          # Helm: <key>.tag, .repository, .digest
 *     key: image
 *   - file: charts/api/values.yaml
 *     path: workers[0].image.tag                        # Helm: one value
 *     value: 1.4.2
 *     create: true
 *
 * Scalars are read with the YAML failsafe schema, so `value: 1.10` stays the string `1.10`.
 */
import { parse } from 'yaml';
import { InputError, UserError } from '@slipway/core';
import {
  parseImageReference,
  parseSetImageSpec,
  type ImageReference,
  type SetImageSpec,
} from './image-reference.ts';
import { isKustomizationPath } from './kustomize-edit.ts';
import { normalizeRepoPath } from './repo-path.ts';
import { parseValuePath, type PathSegment } from './value-path.ts';

export type BumpChange =
  | { kind: 'kustomize'; file: string; image: SetImageSpec }
  | { kind: 'helm-image'; file: string; image: ImageReference; key: PathSegment[]; create: boolean }
  | { kind: 'helm-value'; file: string; path: PathSegment[]; value: string; create: boolean };

const KEYS = new Set(['file', 'image', 'key', 'path', 'value', 'create']);

/** One change from plain strings (the `file`/`image`/`path`/`value` inputs or a `changes` entry). */
export function changeFrom(entry: Record<string, string | undefined>, label: string): BumpChange {
  const file = normalizeRepoPath(entry.file ?? fail(label, 'has no `file`'), `${label} file`);
  const create = parseCreate(entry.create, label);
  if (entry.image !== undefined) {
    if (entry.path !== undefined || entry.value !== undefined)
      fail(label, 'has both `image` and `path`/`value`; use one form');
    if (isKustomizationPath(file)) {
      if (entry.key !== undefined) fail(label, 'sets `key`, which only applies to Helm values files');
      return { kind: 'kustomize', file, image: parseSetImageSpec(entry.image, `${label} image`) };
    }
    if (entry.image.includes('=')) {
      fail(label, 'uses the kustomize `name=newName` form for a Helm values file; give the image reference');
    }
    const image = parseImageReference(entry.image, `${label} image`);
    if (image.tag === undefined && image.digest === undefined)
      fail(label, 'has an image without tag or digest');
    return {
      kind: 'helm-image',
      file,
      image,
      key: parseValuePath(entry.key ?? 'image', `${label} key`),
      create,
    };
  }
  if (entry.path === undefined) fail(label, 'needs `image`, or `path` and `value`');
  if (entry.value === undefined) fail(label, 'has `path` but no `value`');
  if (/[\r\n]/.test(entry.value!)) fail(label, 'has a `value` with a line break');
  if (isKustomizationPath(file)) fail(label, 'sets a `path` in a kustomization file; use `image` instead');
  return {
    kind: 'helm-value',
    file,
    path: parseValuePath(entry.path!, `${label} path`),
    value: entry.value!,
    create,
  };
}

/** Parses the `changes` input: a YAML list of mappings with string values. */
export function parseChanges(text: string, input = 'changes'): BumpChange[] {
  let data: unknown;
  try {
    data = parse(text, { schema: 'failsafe' });
  } catch (error) {
    throw new InputError(
      input,
      `is not valid YAML (${(error as Error).message.split('\n')[0]})`,
      'a YAML list',
    );
  }
  if (!Array.isArray(data) || data.length === 0) {
    throw new InputError(
      input,
      'is not a non-empty YAML list',
      'a list of `- file: …` entries with `image` or `path` and `value`',
    );
  }
  return data.map((item, index) => {
    const label = `${input}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) fail(label, 'is not a mapping');
    const entry: Record<string, string> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (!KEYS.has(key)) fail(label, `has the unknown key \`${key}\` (known: ${[...KEYS].join(', ')})`);
      if (typeof value !== 'string') fail(label, `has a \`${key}\` that is not a single value`);
      entry[key] = value as string;
    }
    return changeFrom(entry, label);
  });
}

function parseCreate(value: string | undefined, label: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return fail(label, `has \`create: ${value}\`; use true or false`);
}

function fail(label: string, problem: string): never {
  throw new UserError(`Change ${label} ${problem}.`);
}
