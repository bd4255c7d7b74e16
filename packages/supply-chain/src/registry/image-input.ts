/**
 * Action inputs shared by the actions that work on one image in a registry
 * (sign, verify): the `image` reference and the optional
 * `registry-username`/`registry-password` login for its registry. Reading
 * them touches no network; each reader throws `InputError` naming the input.
 */
import { InputError, maskSecret, type InputReader, type MaskSink } from '@slipway/core';
import { ImageReferenceError, parseImageReference, type ImageReference } from './image-reference.ts';
import type { RegistryCredentials } from './registry-credentials.ts';

/** The required `image` input, parsed; a malformed reference is an `InputError` on `image`. */
export function readImageInput(reader: InputReader): ImageReference {
  const imageText = reader.string('image', { required: true, form: 'an image reference' });
  try {
    return parseImageReference(imageText);
  } catch (error) {
    if (!(error instanceof ImageReferenceError)) throw error;
    throw new InputError(
      'image',
      `is not a valid image reference: ${error.problems.join('; ')}`,
      '`registry/repository:tag` or `registry/repository@sha256:<digest>` (lower-case repository path)',
    );
  }
}

/**
 * `registry-username` and `registry-password`: both or neither. The password is
 * masked as soon as it is read, before the pair is checked.
 */
export function readRegistryLogin(reader: InputReader, mask?: MaskSink): RegistryCredentials | undefined {
  const username = reader.string('registry-username');
  const password = reader.string('registry-password');
  if (password) maskSecret(password, mask);
  if (Boolean(username) !== Boolean(password))
    throw new InputError(
      username ? 'registry-password' : 'registry-username',
      'is missing',
      'registry-username and registry-password together',
    );
  return username && password ? { username, password } : undefined;
}
