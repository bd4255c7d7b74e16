import { InputError } from './errors.ts';

/** Where input values come from. The default reads `INPUT_<NAME>` as the runner sets it. */
export type InputSource = (name: string) => string | undefined;

/** The environment variable the runner uses for an input: upper case, spaces to `_`, dashes kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export const envInputSource =
  (env: NodeJS.ProcessEnv = process.env): InputSource =>
  (name) =>
    env[inputEnvName(name)];

/**
 * Typed, validated readers over an `InputSource`. Every reader trims the value,
 * treats an empty string as "not set", and throws `InputError` naming the input.
 */
export class InputReader {
  constructor(private readonly source: InputSource = envInputSource()) {}

  private raw(name: string): string | undefined {
    const value = this.source(name)?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  string(name: string, options: { required: true; pattern?: RegExp; form?: string }): string;
  string(name: string, options?: { required?: false; pattern?: RegExp; form?: string }): string | undefined;
  string(
    name: string,
    options: { required?: boolean; pattern?: RegExp; form?: string } = {},
  ): string | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (options.required)
        throw new InputError(name, 'is required but was not set', options.form ?? 'a value');
      return undefined;
    }
    if (options.pattern && !options.pattern.test(value)) {
      throw new InputError(
        name,
        `has the value '${value}', which is not valid`,
        options.form ?? `a value matching ${options.pattern}`,
      );
    }
    return value;
  }

  /** YAML 1.2 core-schema booleans, as `core.getBooleanInput` accepts them. */
  boolean(name: string, defaultValue: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return defaultValue;
    if (['true', 'True', 'TRUE'].includes(value)) return true;
    if (['false', 'False', 'FALSE'].includes(value)) return false;
    throw new InputError(name, `has the value '${value}'`, '`true` or `false`');
  }

  integer(name: string, options: { default?: number; min?: number; max?: number } = {}): number | undefined {
    const value = this.raw(name);
    const range = describeRange(options.min, options.max);
    if (value === undefined) return options.default;
    if (!/^-?\d+$/.test(value))
      throw new InputError(name, `has the value '${value}'`, `a whole number${range}`);
    const n = Number(value);
    if ((options.min !== undefined && n < options.min) || (options.max !== undefined && n > options.max)) {
      throw new InputError(name, `is ${n}, out of range`, `a whole number${range}`);
    }
    return n;
  }

  enumeration<const T extends string>(name: string, allowed: readonly T[], defaultValue: T): T;
  enumeration<const T extends string>(name: string, allowed: readonly T[]): T | undefined;
  enumeration<const T extends string>(name: string, allowed: readonly T[], defaultValue?: T): T | undefined {
    const value = this.raw(name);
    if (value === undefined) return defaultValue;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InputError(name, `has the value '${value}'`, `one of: ${allowed.join(', ')}`);
    }
    return value as T;
  }

  /**
   * A list: one item per line or comma-separated; blank items and `#` comment
   * lines are dropped. `itemPattern` validates each item.
   */
  list(name: string, options: { itemPattern?: RegExp; form?: string; required?: boolean } = {}): string[] {
    const value = this.raw(name);
    if (value === undefined) {
      if (options.required)
        throw new InputError(name, 'is required but was not set', options.form ?? 'a list');
      return [];
    }
    const items = value
      .split(/\r?\n/)
      .filter((line) => !line.trimStart().startsWith('#'))
      .flatMap((line) => line.split(','))
      .map((item) => item.trim())
      .filter((item) => item !== '');
    for (const item of items) {
      if (options.itemPattern && !options.itemPattern.test(item)) {
        throw new InputError(
          name,
          `contains the item '${item}', which is not valid`,
          options.form ?? `items matching ${options.itemPattern}`,
        );
      }
    }
    return items;
  }

  /** A duration such as `90s`, `15m`, `1h30m`, `500ms` or a bare number of seconds; returns milliseconds. */
  duration(
    name: string,
    options: { default?: number; minMs?: number; maxMs?: number } = {},
  ): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return options.default;
    const ms = parseDuration(value);
    const form = 'a duration such as `30s`, `15m`, `1h30m` or a number of seconds';
    if (ms === undefined) throw new InputError(name, `has the value '${value}'`, form);
    if (
      (options.minMs !== undefined && ms < options.minMs) ||
      (options.maxMs !== undefined && ms > options.maxMs)
    ) {
      throw new InputError(
        name,
        `is ${value}, out of range`,
        `${form}${describeRange(options.minMs, options.maxMs, formatDuration)}`,
      );
    }
    return ms;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `1h30m`, `45s`, `250ms`, `2d` or a bare number of seconds. Returns undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(value)) return undefined;
  let total = 0;
  for (const match of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return Math.round(total);
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function describeRange(min?: number, max?: number, fmt: (n: number) => string = String): string {
  if (min !== undefined && max !== undefined) return ` from ${fmt(min)} to ${fmt(max)}`;
  if (min !== undefined) return ` of at least ${fmt(min)}`;
  if (max !== undefined) return ` of at most ${fmt(max)}`;
  return '';
}
