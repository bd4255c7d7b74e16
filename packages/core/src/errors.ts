/**
 * Error taxonomy shared by every Slipway package.
 *
 * A `UserError` is something the person running the action can fix: bad input,
 * permission denied, a resource that does not exist. Anything else that reaches
 * `run()` is treated as a bug in Slipway and reported with a request to file it.
 */
export class UserError extends Error {
  /** Optional next step shown after the message ("add `permissions: id-token: write`"). */
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.hint = options.hint;
  }
}

/** A bad action input. The message always names the input and the accepted form. */
export class InputError extends UserError {
  readonly input: string;

  constructor(input: string, problem: string, accepted: string) {
    super(`Input '${input}' ${problem}. Expected ${accepted}.`);
    this.name = 'InputError';
    this.input = input;
  }
}

/** Renders any thrown value as a one-line message, whatever its type. */
export function errorMessage(value: unknown): string {
  if (value instanceof Error) return value.message || value.name;
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return String(value);
  try {
    const json = JSON.stringify(value);
    if (json !== undefined && json !== '{}') return json;
  } catch {
    // fall through: circular structures and BigInt land here
  }
  return String(value);
}
