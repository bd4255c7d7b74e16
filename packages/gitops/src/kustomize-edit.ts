/**
 * `kustomize edit set image`, done as a minimal text edit of kustomization.yaml.
 *
 * Semantics kept from kustomize: the entry whose `name` equals the spec's name is
 * replaced whole (a field the spec does not give is dropped; `*` keeps it).
 * Differences, on purpose: names match exactly (not as a regex), entries keep their
 * order, every comment, blank line and quote style outside the changed scalars stays
 * as it was, and an absent entry is an error naming the entries that exist (a typo
 * would otherwise add an entry that matches no image and deploy nothing) unless
 * `create` asks for it to be appended.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { UserError } from '@slipway/core';
import { KEEP, type SetImageSpec } from './image-reference.ts';
import {
  applyEdits,
  findPair,
  pairEnd,
  reparseEdited,
  YamlSource,
  type TextEdit,
  type YAMLMap,
  type YAMLSeq,
} from './yaml-source.ts';

export const IMAGE_FIELDS = ['newName', 'newTag', 'digest'] as const;
export type ImageField = (typeof IMAGE_FIELDS)[number];
export type ImageFields = Partial<Record<ImageField, string>>;

const FIELD_ORDER = ['name', ...IMAGE_FIELDS] as const;

export interface KustomizeEditResult {
  text: string;
  /** Fields of the entry before the edit; undefined when the entry was added. */
  before: ImageFields | undefined;
  after: ImageFields;
  changed: boolean;
  /** 1-based line of the entry's `name` after the edit. */
  line: number;
}

/** Whether a repository path names a kustomization file. */
export function isKustomizationPath(path: string): boolean {
  return /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(path);
}

const KUSTOMIZE_KINDS = new Set(['Kustomization', 'Component']);

/**
 * Whether a file's content is a kustomization: a top-level mapping whose `kind` is
 * Kustomization (or Component) and whose `apiVersion`, when present, is kustomize's own
 * group. A file that does not parse is not one (the Helm edit then reports the parse error).
 */
export function isKustomizationContent(text: string): boolean {
  let root: unknown;
  try {
    root = parseDocument(text, { uniqueKeys: false }).contents;
  } catch {
    return false;
  }
  if (!isMap(root)) return false;
  const kind = root.get('kind');
  const apiVersion = root.get('apiVersion');
  return (
    typeof kind === 'string' &&
    KUSTOMIZE_KINDS.has(kind) &&
    (apiVersion === undefined ||
      (typeof apiVersion === 'string' && apiVersion.startsWith('kustomize.config.k8s.io/')))
  );
}

/** The fields of the `images` entry named `name` (exactly), or undefined when there is none. */
export function readKustomizeImage(file: string, text: string, name: string): ImageFields | undefined {
  const source = YamlSource.parse(file, text);
  const found = locateEntry(source, name);
  return found ? readFields(source, found.entry) : undefined;
}

export function setKustomizeImage(
  file: string,
  text: string,
  spec: SetImageSpec,
  options: { create?: boolean; createHint?: string } = {},
): KustomizeEditResult {
  let source = YamlSource.parse(file, text);
  const found = locateEntry(source, spec.name);
  if (!found && !options.create) throw entryNotFound(source, spec.name, options.createHint);
  const before = found ? readFields(source, found.entry) : undefined;
  const after: ImageFields = {};
  for (const field of IMAGE_FIELDS) {
    const wanted = spec[field];
    const value = wanted === KEEP ? before?.[field] : wanted;
    if (value !== undefined) after[field] = value;
  }
  if (!found) {
    const next = applyEdits(text, [appendEntry(source, spec.name, after)]);
    const edited = verifyEntry(file, next, spec.name, after);
    return { text: next, before, after, changed: true, line: lineOfEntry(edited, spec.name) };
  }
  let current = text;
  for (const field of IMAGE_FIELDS) {
    if (before?.[field] === after[field]) continue;
    const entry = locateEntry(source, spec.name)!.entry;
    const pair = findPair(entry, field);
    const value = after[field];
    let edit: TextEdit;
    if (value === undefined) edit = source.removePair(entry, pair!);
    else if (pair && isScalar(pair.value)) edit = source.replaceScalar(pair.value, value);
    else if (pair)
      throw new UserError(`${file}:${source.lineOf(pairStart(pair))}: \`${field}\` is not a scalar.`);
    else edit = source.insertPair(entry, field, source.renderNew(value), anchorFor(entry, field));
    current = applyEdits(current, [edit]);
    source = reparseEdited(file, current);
  }
  verifyEntry(file, current, spec.name, after);
  return {
    text: current,
    before,
    after,
    changed: current !== text,
    line: lineOfEntry(source, spec.name),
  };
}

/** Reads the edited entry back and checks it holds exactly the intended fields. */
function verifyEntry(file: string, text: string, name: string, after: ImageFields): YamlSource {
  const source = reparseEdited(file, text);
  const found = locateEntry(source, name);
  const fields = found ? readFields(source, found.entry) : undefined;
  if (JSON.stringify(fields) !== JSON.stringify(after)) {
    throw new Error(
      `editing ${file} gave ${JSON.stringify(fields)} for ${name}, not ${JSON.stringify(after)}`,
    );
  }
  return source;
}

function pairStart(pair: { key: unknown }): number {
  return (pair.key as { range?: [number] }).range?.[0] ?? 0;
}

function lineOfEntry(source: YamlSource, name: string): number {
  const found = locateEntry(source, name);
  return found ? source.lineOf(found.entry.range?.[0] ?? 0) : 0;
}

function rootMap(source: YamlSource): YAMLMap {
  const root = source.doc.contents;
  if (!isMap(root)) {
    throw new UserError(`${source.file} is not a kustomization: its top level is not a mapping.`);
  }
  return root;
}

function imagesSeq(source: YamlSource): YAMLSeq | undefined {
  const pair = findPair(rootMap(source), 'images');
  if (!pair || pair.value === null || (isScalar(pair.value) && pair.value.value === null)) return undefined;
  if (!isSeq(pair.value)) {
    throw new UserError(
      `${source.file}:${source.lineOf(pairStart(pair))}: \`images\` must be a list of entries.`,
    );
  }
  return pair.value;
}

function locateEntry(source: YamlSource, name: string): { entry: YAMLMap; seq: YAMLSeq } | undefined {
  const seq = imagesSeq(source);
  if (!seq) return undefined;
  for (const item of seq.items) {
    if (!isMap(item)) continue;
    const namePair = findPair(item, 'name');
    if (namePair && isScalar(namePair.value) && source.stringValue(namePair.value) === name)
      return { entry: item, seq };
  }
  return undefined;
}

function entryNotFound(source: YamlSource, name: string, createHint = 'set `create: true`'): UserError {
  const names = (imagesSeq(source)?.items ?? []).flatMap((item) => {
    const pair = isMap(item) ? findPair(item, 'name') : undefined;
    const value = pair && isScalar(pair.value) ? source.stringValue(pair.value) : undefined;
    return value === undefined ? [] : [value];
  });
  return new UserError(
    `${source.file} has no \`images\` entry named '${name}' (${
      names.length === 0 ? 'it has no image entries' : `it has ${names.map((n) => `'${n}'`).join(', ')}`
    }).`,
    {
      hint: `Use the entry's exact name (the image name the manifests use), or ${createHint} to add a new entry.`,
    },
  );
}

function readFields(source: YamlSource, entry: YAMLMap): ImageFields {
  const fields: ImageFields = {};
  for (const field of IMAGE_FIELDS) {
    const pair = findPair(entry, field);
    if (pair && isScalar(pair.value)) {
      const value = source.stringValue(pair.value);
      if (value !== undefined) fields[field] = value;
    }
  }
  return fields;
}

/** The pair a new field goes after: the nearest field that precedes it in kustomize's order. */
function anchorFor(entry: YAMLMap, field: ImageField) {
  const rank = (key: string) => FIELD_ORDER.indexOf(key as (typeof FIELD_ORDER)[number]);
  const mine = rank(field);
  let best: { pair: (typeof entry.items)[number]; rank: number } | undefined;
  for (const pair of entry.items) {
    const r = isScalar(pair.key) ? rank(String(pair.key.value)) : -1;
    if (r >= 0 && r < mine && (!best || r > best.rank)) best = { pair, rank: r };
  }
  return best?.pair;
}

function appendEntry(source: YamlSource, name: string, fields: ImageFields): TextEdit {
  const pairs: [string, string][] = [['name', source.renderNew(name)]];
  for (const field of IMAGE_FIELDS) {
    const value = fields[field];
    if (value !== undefined) pairs.push([field, source.renderNew(value)]);
  }
  const flow = `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
  const root = rootMap(source);
  const imagesPair = findPair(root, 'images');
  const seq = imagesSeq(source);
  const block = (dashColumn: number, keyOffset: number) =>
    pairs.map(
      ([k, v], i) =>
        `${' '.repeat(dashColumn)}${i === 0 ? `-${' '.repeat(Math.max(1, keyOffset - 1))}` : ' '.repeat(keyOffset)}${k}: ${v}`,
    );
  if (seq?.flow) {
    const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] } | undefined;
    if (last?.range) return { start: last.range[1], end: last.range[1], text: `, ${flow}` };
    const open = seq.range![0] + 1;
    return { start: open, end: open, text: flow };
  }
  if (seq && seq.items.length > 0) {
    const last = seq.items[seq.items.length - 1] as YAMLMap;
    const start = last.range![0];
    const dash = source.text.lastIndexOf('-', start);
    const dashColumn = source.column(dash);
    if (isMap(last) && last.flow) {
      return source.insertLinesAfter(last.range![1], [`${' '.repeat(dashColumn)}- ${flow}`]);
    }
    const keyOffset = isMap(last) ? source.keyColumn(last) - dashColumn : 2;
    return source.insertLinesAfter(last.range![1], block(dashColumn, keyOffset));
  }
  const keyColumn = source.keyColumn(root);
  const dashColumn = keyColumn + source.sequenceIndent();
  if (imagesPair) {
    // `images:` with no value, or `images: ~`
    const value = imagesPair.value as { range?: [number, number, number] } | null;
    const keyEnd = (imagesPair.key as { range: [number, number, number] }).range[1];
    const lines = block(dashColumn, 2);
    if (value?.range && value.range[1] > value.range[0]) {
      return {
        start: value.range[0] - 1,
        end: value.range[1],
        text: `${source.eol}${lines.join(source.eol)}`,
      };
    }
    return source.insertLinesAfter(keyEnd, lines);
  }
  const last = root.items[root.items.length - 1];
  if (!last) throw new UserError(`${source.file} is empty; it is not a kustomization.`);
  return source.insertLinesAfter(pairEnd(last), [`${' '.repeat(keyColumn)}images:`, ...block(dashColumn, 2)]);
}
