/**
 * Applies a list of changes to the current contents of the files they name and
 * reports, per file, the new text and every value that moves (old -> new).
 * Pure: file contents come in as a map, nothing is read or written here.
 */
import { UserError } from '@slipway/core';
import type { BumpChange } from './change-spec.ts';
import { setHelmValue } from './helm-values-edit.ts';
import { splitRegistry } from './image-reference.ts';
import { IMAGE_FIELDS, isKustomizationContent, setKustomizeImage } from './kustomize-edit.ts';
import { YamlSource } from './yaml-source.ts';
import { formatValuePath, type PathSegment } from './value-path.ts';

export interface ValueChange {
  file: string;
  line: number;
  /** What moved, e.g. `images[web].newTag` or `image.tag`. */
  target: string;
  from: string | undefined;
  to: string | undefined;
  /** The image the change is about (kustomize entry name or Helm image repository). */
  image: string;
}

export interface PlannedFile {
  path: string;
  before: string;
  after: string;
}

export interface BumpPlan {
  files: PlannedFile[];
  changes: ValueChange[];
}

/** The distinct files a list of changes touches, in first-mention order. */
export function filesOf(changes: readonly BumpChange[]): string[] {
  return [...new Set(changes.map((c) => c.file))];
}

/**
 * Plans the edits. `contents` maps each path to its text, or undefined when the
 * file does not exist in the repository.
 */
export interface PlanOptions {
  /** How the caller asks for a missing entry or value to be added, for hints ("set `create: true`", "pass --create"). */
  createHint?: string;
}

export function planBump(
  changes: readonly BumpChange[],
  contents: ReadonlyMap<string, string | undefined>,
  options: PlanOptions = {},
): BumpPlan {
  const texts = new Map<string, string>();
  const moved: ValueChange[] = [];
  for (const change of changes) {
    const original = contents.get(change.file);
    if (original === undefined) {
      throw new UserError(`${change.file} does not exist in the repository.`, {
        hint: 'Check the path in the `file` (or `changes`) input and the branch the action reads (the `base` input).',
      });
    }
    const text = texts.get(change.file) ?? original;
    const result = applyChange(resolveByContent(change, text), text, options);
    texts.set(change.file, result.text);
    moved.push(...result.changes);
  }
  const files = [...texts]
    .map(([path, after]) => ({ path, before: contents.get(path) as string, after }))
    .filter((f) => f.before !== f.after);
  return { files, changes: moved };
}

type ResolvedChange = Exclude<BumpChange, { kind: 'image' }>;

/**
 * What kind of file a change edits, by content where the name does not say: a file with
 * `kind: Kustomization` is a kustomization whatever its name (kustomize itself reads any name
 * listed in `resources`/`components`), anything else is Helm values.
 */
export function resolveByContent(change: BumpChange, text: string): ResolvedChange {
  if (change.kind === 'helm-value' && isKustomizationContent(text))
    throw new UserError(
      `${change.file} is a kustomization (kind: Kustomization), so a value path cannot be set in it.`,
      { hint: 'Give `image` for this file instead of `path` and `value`.' },
    );
  if (change.kind !== 'image') return change;
  if (isKustomizationContent(text)) {
    if (change.kustomize instanceof UserError) throw change.kustomize;
    return { kind: 'kustomize', file: change.file, image: change.kustomize, create: change.create };
  }
  if (change.helm instanceof UserError) throw change.helm;
  return { kind: 'helm-image', file: change.file, ...change.helm, create: change.create };
}

function applyChange(
  change: ResolvedChange,
  text: string,
  options: PlanOptions,
): { text: string; changes: ValueChange[] } {
  if (change.kind === 'kustomize') {
    const result = setKustomizeImage(change.file, text, change.image, {
      create: change.create,
      ...(options.createHint ? { createHint: options.createHint } : {}),
    });
    const changes = IMAGE_FIELDS.filter((f) => result.before?.[f] !== result.after[f]).map((field) => ({
      file: change.file,
      line: result.line,
      target: `images[${change.image.name}].${field}`,
      from: result.before?.[field],
      to: result.after[field],
      image: change.image.name,
    }));
    return { text: result.text, changes };
  }
  if (change.kind === 'helm-value') {
    const result = setHelmValue(change.file, text, change.path, change.value, {
      create: change.create,
      ...(options.createHint ? { createHint: options.createHint } : {}),
    });
    const image = formatValuePath(change.path);
    return {
      text: result.text,
      changes: result.changed ? [valueChange(change.file, change.path, result, image)] : [],
    };
  }
  const { image, key, create } = change;
  // charts with a separate `registry` key (the Bitnami layout) get the domain there
  const split = YamlSource.parse(change.file, text).doc.hasIn([...key, 'registry'])
    ? splitRegistry(image.name)
    : undefined;
  const settings: [PathSegment[], string | undefined, boolean][] = [
    [[...key, 'registry'], split?.registry, false],
    [[...key, 'repository'], split ? split.path : image.name, create],
    [[...key, 'tag'], image.tag, create],
    [[...key, 'digest'], image.digest, create],
  ];
  let current = text;
  const changes: ValueChange[] = [];
  for (const [path, value, mayCreate] of settings) {
    if (value === undefined) continue;
    let result;
    try {
      result = setHelmValue(change.file, current, path, value, {
        create: mayCreate,
        ...(options.createHint ? { createHint: options.createHint } : {}),
      });
    } catch (error) {
      // the repository key is optional: charts that take it from elsewhere leave it out
      if (
        path[path.length - 1] === 'repository' &&
        error instanceof UserError &&
        /does not exist/.test(error.message)
      )
        continue;
      throw error;
    }
    current = result.text;
    if (result.changed) changes.push(valueChange(change.file, path, result, image.name));
  }
  return { text: current, changes };
}

function valueChange(
  file: string,
  path: readonly PathSegment[],
  result: { before: string | undefined; after: string; line: number },
  image: string,
): ValueChange {
  return {
    file,
    line: result.line,
    target: formatValuePath(path),
    from: result.before,
    to: result.after,
    image,
  };
}
