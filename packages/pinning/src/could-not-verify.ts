/**
 * "Could not verify": a GitHub lookup that failed (no answer, an error status after the retries,
 * a token GitHub rejects, a GraphQL error). Online checks turn it into `could-not-verify`
 * findings on the references they could not check; fix mode cannot go on and throws it.
 * The CLI exits 3 for it, never 0.
 */
import { UserError } from '@slipway/core';
import { finding, type Finding } from './rules.ts';
import type { ReferenceSite } from './scan.ts';

export class CouldNotVerifyError extends UserError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.name = 'CouldNotVerifyError';
  }
}

/** The error as one sentence with its hint, for a finding's message. */
export function describeLookupFailure(error: CouldNotVerifyError): string {
  const message = error.message.split('\n')[0] ?? '';
  if (!error.hint) return message;
  return `${message}${/[.!?]$/.test(message) ? '' : '.'} ${error.hint}`;
}

/** One could-not-verify finding per site, naming what was being checked and why it failed. */
export function couldNotVerify(
  sites: readonly ReferenceSite[],
  what: string,
  error: CouldNotVerifyError,
): Finding[] {
  const why = describeLookupFailure(error);
  return sites.map((site) =>
    finding(
      'could-not-verify',
      site,
      site.value ?? '',
      `could not verify '${site.value ?? ''}' (${what}): ${why}`,
    ),
  );
}

/** Runs a lookup; a CouldNotVerifyError comes back as a value, anything else (a bug) is thrown. */
export async function tryLookup<T>(
  lookup: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: CouldNotVerifyError }> {
  try {
    return { ok: true, value: await lookup() };
  } catch (error) {
    if (error instanceof CouldNotVerifyError) return { ok: false, error };
    throw error;
  }
}
