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
  | { kind: 'kustomize'; file: string; image: SetImageSpec; create: boolean }
  | { kind: 'helm-image'; file: string; image: ImageReference; key: PathSegment[]; create: boolean }
  | { kind: 'helm-value'; file: string; path: PathSegment[]; value: string; create: boolean }
  | ImageChangeByContent;

/**
 * An `image` change for a file whose name does not say what it is (`overlay.yaml`): the file's
 * content decides (`kind: Kustomization`/`Component` -> kustomize, anything else -> Helm values,
 * see plan.ts). Both readings of `image` are parsed now, so a bad value fails before any request;
 * a reading that failed keeps its error for the case the content selects it.
 */
export interface ImageChangeByContent {
  kind: 'image';
  file: string;
  create: boolean;
  kustomize: SetImageSpec | UserError;
  helm: { image: ImageReference; key: PathSegment[] } | UserError;
}

const KEYS = new Set(['file', 'image', 'key', 'path', 'value', 'create']);

/**
 * How errors name where a change came from, so each message names the input (or
 * option) the user has to fix: `field('image')` gives e.g. "Input 'image'",
 * "Input 'changes', item 2, `image`" or "--image".
 */
export interface ChangeNaming {
  field(name: string): string;
}

/** The action's single-change inputs (`file`, `image`, `path`, ...); `fileIndex` for one of several files. */
export function inputNaming(fileIndex?: number): ChangeNaming {
  return {
    field: (name) =>
      name === 'file' && fileIndex !== undefined ? `Input 'file' (line ${fileIndex + 1})` : `Input '${name}'`,
  };
}

/** Item `index` of a list input such as `changes`. */
export function listItemNaming(input: string, index: number): ChangeNaming {
  return { field: (name) => `Input '${input}', item ${index + 1}, \`${name}\`` };
}

/** One change from plain strings (the `file`/`image`/`path`/`value` inputs or a `changes` entry). */
export function changeFrom(
  entry: Record<string, string | undefined>,
  naming: ChangeNaming = inputNaming(),
): BumpChange {
  const fail = (field: string, problem: string): never => {
    throw new UserError(`${naming.field(field)}: ${problem}.`);
  };
  const file = normalizeRepoPath(
    entry.file ??
      fail('file', 'is missing; give the path of the file to edit, relative to the repository root'),
    naming.field('file'),
  );
  const create = parseCreate(entry.create, (problem) => fail('create', problem));
  if (entry.image !== undefined) {
    if (entry.path !== undefined || entry.value !== undefined)
      fail(
        entry.path !== undefined ? 'path' : 'value',
        'cannot be used together with `image`; give either `image`, or `path` and `value`',
      );
    if (isKustomizationPath(file)) {
      if (entry.key !== undefined)
        fail('key', `only applies to Helm values files, and ${file} is a kustomization; remove it`);
      return {
        kind: 'kustomize',
        file,
        image: parseSetImageSpec(entry.image, naming.field('image')),
        create,
      };
    }
    const key = parseValuePath(entry.key ?? 'image', naming.field('key'));
    const kustomize =
      entry.key !== undefined
        ? new UserError(
            `${naming.field('key')}: only applies to Helm values files, and ${file} is a kustomization; remove it.`,
          )
        : attempt(() => parseSetImageSpec(entry.image!, naming.field('image')));
    const helm = entry.image.includes('=')
      ? new UserError(
          `${naming.field('image')}: uses the kustomize \`name=newName\` form, but ${file} is a Helm values file; give the image reference, e.g. \`ghcr.io/acme/api:1.4.2\`.`,
        )
      : attempt(() => ({ image: helmImage(entry.image!, naming), key }));
    if (helm instanceof UserError && kustomize instanceof UserError) {
      throw entry.image.includes('=') && entry.key === undefined ? kustomize : helm;
    }
    return { kind: 'image', file, create, kustomize, helm };
  }
  if (entry.path === undefined) fail('image', 'is missing; give `image`, or `path` and `value`');
  if (entry.value === undefined) fail('value', 'is missing; `path` needs the `value` to set there');
  if (/[\r\n]/.test(entry.value!)) fail('value', 'contains a line break; give a single-line value');
  if (isKustomizationPath(file))
    fail('path', `cannot set a value in the kustomization ${file}; use \`image\` instead`);
  return {
    kind: 'helm-value',
    file,
    path: parseValuePath(entry.path!, naming.field('path')),
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
    const naming = listItemNaming(input, index);
    const item1 = `Input '${input}', item ${index + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new UserError(
        `${item1}: is not a mapping; write it as \`- file: …\` with \`image\` or \`path\` and \`value\`.`,
      );
    const entry: Record<string, string> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (!KEYS.has(key))
        throw new UserError(`${item1}: has the unknown key \`${key}\`; use only ${[...KEYS].join(', ')}.`);
      if (typeof value !== 'string')
        throw new UserError(`${naming.field(key)}: is not a single value; give one string.`);
      entry[key] = value as string;
    }
    return changeFrom(entry, naming);
  });
}

function helmImage(text: string, naming: ChangeNaming): ImageReference {
  const image = parseImageReference(text, naming.field('image'));
  if (image.tag === undefined && image.digest === undefined)
    throw new UserError(
      `${naming.field('image')}: '${text}' has neither a tag nor a digest; add \`:tag\`, \`@sha256:…\` or both.`,
    );
  return image;
}

function attempt<T>(parse: () => T): T | UserError {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
}

function parseCreate(value: string | undefined, fail: (problem: string) => never): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return fail(`is \`${value}\`; use true or false`);
}
