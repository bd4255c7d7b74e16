/**
 * Sets one string value at a dotted path in a Helm values file by replacing the
 * scalar's source range. A path that does not exist is refused unless `create`
 * is set; then the missing keys are added as block (or flow) mappings in the
 * file's own indentation.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import { UserError } from '@slipway/core';
import { formatValuePath, type PathSegment } from './value-path.ts';
import {
  applyEdits,
  findPair,
  pairEnd,
  reparseEdited,
  YamlSource,
  type Node,
  type YAMLMap,
} from './yaml-source.ts';

export interface ValueEditResult {
  text: string;
  before: string | undefined;
  after: string;
  changed: boolean;
  /** 1-based line of the value after the edit. */
  line: number;
}

export function setHelmValue(
  file: string,
  text: string,
  path: readonly PathSegment[],
  value: string,
  options: { create?: boolean; createHint?: string } = {},
): ValueEditResult {
  const source = YamlSource.parse(file, text);
  const where = formatValuePath(path);
  let node: unknown = source.doc.contents;
  for (const [index, segment] of path.entries()) {
    const at = `${file}: \`${formatValuePath(path.slice(0, index + 1))}\``;
    if (isAlias(node))
      throw new UserError(`${at} goes through an alias (*${node.source}); edit the anchor instead.`);
    if (typeof segment === 'number') {
      if (!isSeq(node)) throw new UserError(`${at} indexes something that is not a list.`);
      if (segment >= node.items.length) {
        throw new UserError(`${at} does not exist: the list has ${node.items.length} items.`, {
          hint: 'List items are never created; fix the index.',
        });
      }
      node = node.items[segment];
      continue;
    }
    if (index === 0 && !isMap(node)) {
      throw new UserError(`${file} does not hold a mapping of values at its top level.`);
    }
    if (!isMap(node)) throw new UserError(`${at} is below a value that is not a mapping.`);
    const pair = findPair(node, segment);
    if (!pair) {
      if (!options.create)
        throw missing(file, where, formatValuePath(path.slice(0, index + 1)), options.createHint);
      const rest = path.slice(index);
      if (rest.some((s) => typeof s === 'number')) {
        throw new UserError(`${at} does not exist and list items are never created.`);
      }
      const next = applyEdits(text, [createKeys(source, node, rest as string[], value)]);
      return {
        text: next,
        before: undefined,
        after: value,
        changed: true,
        line: lineOfPath(file, next, path, value),
      };
    }
    if (index === path.length - 1) {
      const target = pair.value;
      const empty = isScalar(target) && !!target.range && target.range[0] === target.range[1];
      if (target === null || empty) {
        const keyEnd = (pair.key as Node).range![1];
        const colon = text.indexOf(':', keyEnd);
        const edit = { start: colon + 1, end: colon + 1, text: ` ${source.renderNew(value)}` };
        const next = applyEdits(text, [edit]);
        verifyValue(file, next, path, value);
        return { text: next, before: undefined, after: value, changed: true, line: source.lineOf(keyEnd) };
      }
      if (!isScalar(target)) {
        const kind = isAlias(target) ? 'an alias' : isSeq(target) ? 'a list' : 'a mapping';
        throw new UserError(`${file}:${source.lineOf(pairEnd(pair))}: \`${where}\` is ${kind}, not a value.`);
      }
      const before = source.stringValue(target);
      const line = source.lineOf(target.range![0]);
      if (before === value) return { text, before, after: value, changed: false, line };
      const next = applyEdits(text, [source.replaceScalar(target, value)]);
      verifyValue(file, next, path, value);
      return { text: next, before, after: value, changed: true, line };
    }
    node = pair.value;
  }
  throw new UserError(`${file}: \`${where}\` points to a list item, not a value.`);
}

function missing(
  file: string,
  where: string,
  prefix: string,
  createHint = 'set `create: true` on this change',
): UserError {
  return new UserError(`${file}: \`${where}\` does not exist (no \`${prefix}\`).`, {
    hint: `Check the path, or ${createHint} to add it.`,
  });
}

/** Reads the edited value back: anything but the intended string is a bug in this module. */
function verifyValue(file: string, text: string, path: readonly PathSegment[], value: string): YamlSource {
  const source = reparseEdited(file, text);
  const node = source.doc.getIn(path, true);
  const written = isScalar(node) ? source.stringValue(node) : undefined;
  if (written !== value || (isScalar(node) && typeof node.value !== 'string')) {
    throw new Error(
      `editing ${file} wrote ${JSON.stringify(node)} at ${formatValuePath(path)}, not the string ${value}`,
    );
  }
  return source;
}

function lineOfPath(file: string, text: string, path: readonly PathSegment[], value: string): number {
  const source = verifyValue(file, text, path, value);
  const node = source.doc.getIn(path, true) as Node | undefined;
  return node?.range ? source.lineOf(node.range[0]) : 0;
}

function createKeys(source: YamlSource, map: YAMLMap, keys: string[], value: string) {
  const rendered = source.renderNew(value);
  const renderKey = (key: string) => source.renderNew(key);
  if (map.flow) {
    let nested = rendered;
    for (const key of [...keys.slice(1)].reverse()) nested = `{${renderKey(key)}: ${nested}}`;
    return source.insertPair(map, renderKey(keys[0]!), nested);
  }
  const column = source.keyColumn(map);
  const step = source.indentStep();
  const lines = keys.map((key, depth) => {
    const indent = ' '.repeat(column + depth * step);
    return depth === keys.length - 1
      ? `${indent}${renderKey(key)}: ${rendered}`
      : `${indent}${renderKey(key)}:`;
  });
  const last = map.items[map.items.length - 1];
  if (!last) throw new UserError(`${source.file}: cannot add keys to an empty mapping.`);
  return source.insertLinesAfter(pairEnd(last), lines);
}
