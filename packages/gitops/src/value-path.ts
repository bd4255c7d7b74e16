/**
 * Dotted paths into a values file: `image.tag`, `apps[2].image.tag`, and keys that
 * contain dots quoted as `"app.kubernetes.io/name".tag` or `labels['a.b']`.
 */
import { UserError } from '@slipway/core';

export type PathSegment = string | number;

/** Errors start with `label`: where the path came from, e.g. "Input 'path'". */
export function parseValuePath(text: string, label = 'Value path'): PathSegment[] {
  const fail = (problem: string): never => {
    throw new UserError(
      `${label}: '${text}' is not valid: ${problem}. Use dotted keys with [index] for lists, e.g. \`apps[2].image.tag\`, and quote keys that contain dots: \`"a.b".tag\`.`,
    );
  };
  const segments: PathSegment[] = [];
  let i = 0;
  let expectKey = true;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) fail(`\`[\` at column ${i + 1} is not closed`);
      const inner = text.slice(i + 1, close);
      if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else if (/^(['"]).*\1$/.test(inner) && inner.length >= 2) segments.push(inner.slice(1, -1));
      else fail(`\`[${inner}]\` is neither a list index nor a quoted key`);
      i = close + 1;
      expectKey = false;
      continue;
    }
    if (ch === '.') {
      if (expectKey) fail(`an empty key at column ${i + 1}`);
      expectKey = true;
      i++;
      continue;
    }
    if (!expectKey) fail(`\`.\` or \`[\` expected at column ${i + 1}`);
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, i + 1);
      if (close < 0) fail(`the quote at column ${i + 1} is not closed`);
      segments.push(text.slice(i + 1, close));
      i = close + 1;
    } else {
      let end = i;
      while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
      segments.push(text.slice(i, end));
      i = end;
    }
    expectKey = false;
  }
  if (segments.length === 0 || expectKey) fail('it is empty or ends with `.`');
  return segments;
}

export function formatValuePath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = /^[^.[\]"']+$/.test(segment) ? segment : JSON.stringify(segment);
      out += out === '' ? key : `.${key}`;
    }
  }
  return out;
}
