/**
 * Writing one YAML scalar so that it reads back as the same string under both
 * YAML 1.1 (kustomize and Helm decode with go-yaml, where `1.10`, `010`, `yes`,
 * `on` and `1:20` are not strings) and YAML 1.2, keeping the quote style the file
 * already uses for that value.
 */
import { parse } from 'yaml';

export type QuoteStyle = 'plain' | 'single' | 'double';

/** Characters a plain scalar can hold here without any context-dependent meaning. */
const PLAIN_SAFE = /^[A-Za-z0-9_/][A-Za-z0-9_./@:+=-]*$/;

function readsBackAs(text: string, version: '1.1' | '1.2'): unknown {
  try {
    return parse(text, { version });
  } catch {
    return undefined;
  }
}

/** True when `value` written without quotes would not read back as the string `value`. */
export function needsQuotes(value: string): boolean {
  if (!PLAIN_SAFE.test(value) || value.endsWith(':') || value.includes(': ')) return true;
  return readsBackAs(value, '1.1') !== value || readsBackAs(value, '1.2') !== value;
}

/** Renders `value` as a quoted scalar in the given style. */
export function quote(value: string, style: 'single' | 'double'): string {
  if (style === 'single' && !/[\n\r\t\\]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

/**
 * Renders `value` in `preferred` style when that is safe: a plain scalar stays plain
 * unless it must be quoted, in which case `fallbackQuote` (the file's usual quote) is used.
 */
export function renderScalar(
  value: string,
  preferred: QuoteStyle,
  fallbackQuote: 'single' | 'double',
): string {
  if (preferred === 'plain') return needsQuotes(value) ? quote(value, fallbackQuote) : value;
  return quote(value, preferred);
}

/** The quote style most used by quoted scalars in `source`; double when there are none. */
export function dominantQuote(styles: readonly QuoteStyle[]): 'single' | 'double' {
  const singles = styles.filter((s) => s === 'single').length;
  const doubles = styles.filter((s) => s === 'double').length;
  return singles > doubles ? 'single' : 'double';
}
