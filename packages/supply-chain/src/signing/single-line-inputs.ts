/**
 * Inputs that end up in a file command (GITHUB_OUTPUT, GITHUB_ENV), a summary
 * line or an argv entry must be one line: a CR or LF in them could start a new
 * `name=value` record. Checked before anything else reads them, so the error
 * names the input and nothing has touched the network yet.
 */
import { InputError, type InputSource } from '@slipway/core';

export function rejectLineBreaks(source: InputSource, names: readonly string[]): void {
  for (const name of names) {
    const value = source(name)?.trim();
    if (value !== undefined && /[\r\n]/.test(value))
      throw new InputError(
        name,
        'contains a line break (CR or LF)',
        'a single-line value: a line break could forge a step output or environment variable',
      );
  }
}
