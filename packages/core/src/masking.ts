import * as core from '@actions/core';

/** Registers a value with the runner's log masker. */
export type MaskSink = (value: string) => void;

export const actionsCoreMask: MaskSink = (value) => core.setSecret(value);

/**
 * Masks a secret the moment it exists. The runner masks line by line, so a
 * multi-line value (a PEM key, a JSON credential) is registered whole and per
 * line; the base64 and URL-encoded forms are registered too because tools echo
 * secrets in those encodings. Returns the value so calls can be inlined:
 * `const token = maskSecret(await mint())`.
 */
export function maskSecret(value: string, sink: MaskSink = actionsCoreMask): string {
  for (const form of secretForms(value)) sink(form);
  return value;
}

/** Every form of `value` that must not appear in a log. Short fragments (< 4 chars) are skipped: masking them would shred logs without protecting anything. */
export function secretForms(value: string): string[] {
  if (value.trim() === '') return [];
  const forms = new Set<string>([value]);
  for (const line of value.split(/\r?\n/)) {
    if (line.trim().length >= 4) forms.add(line.trim());
  }
  forms.add(Buffer.from(value, 'utf8').toString('base64'));
  const encoded = encodeURIComponent(value);
  if (encoded !== value) forms.add(encoded);
  return [...forms].filter((form) => form.length >= 4 || form === value);
}

/** Replaces each known secret in `text` with `***`, for text we print ourselves (error bodies, debug dumps). */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  const forms = [...secrets].flatMap(secretForms).sort((a, b) => b.length - a.length);
  for (const form of forms) out = out.split(form).join('***');
  return out;
}
