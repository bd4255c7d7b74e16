/**
 * `fulcio-url` and `rekor-url`: HTTPS, so the OIDC token sent to Fulcio and the
 * entries read back from Rekor cannot be read or changed on the way. Plain
 * `http:` is accepted only for a loopback host (a local Sigstore deployment or
 * the test double), where nothing crosses a network.
 */
import { InputError, type InputReader } from '@slipway/core';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function readServiceUrl(reader: InputReader, name: string): string {
  const form =
    'an https URL such as `https://rekor.sigstore.dev` (http only for a loopback host such as 127.0.0.1)';
  const value = reader.string(name, { required: true, form });
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(name, `has the value '${value}', which is not a URL`, form);
  }
  if (url.username || url.password)
    throw new InputError(name, 'has credentials in it', `${form}, without user:password@`);
  if (url.protocol === 'https:') return value;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return value;
  throw new InputError(
    name,
    url.protocol === 'http:'
      ? `is '${value}': plain http would send the OIDC token and the signature over the network unencrypted`
      : `has the value '${value}'`,
    form,
  );
}
