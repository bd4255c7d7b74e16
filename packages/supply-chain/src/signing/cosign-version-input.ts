/** The optional `cosign-version` input of the actions that run cosign (sign, verify). */
import type { InputReader } from '@slipway/core';

/** `3.1.3` or `v3.1.3`, returned without the `v`; anything else is an `InputError` on `cosign-version`. */
export function readCosignVersion(reader: InputReader): string | undefined {
  const version = reader.string('cosign-version', {
    pattern: /^v?\d+\.\d+\.\d+$/,
    form: 'a version such as `3.1.3`',
  });
  return version?.replace(/^v/, '');
}
