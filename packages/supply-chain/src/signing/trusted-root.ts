/**
 * Sigstore trust material for verification: a TrustedRoot JSON file
 * (`trusted-root` input, the format `cosign verify --trusted-root` and
 * sigstore-js use: private Sigstore deployments, offline tests) or, when no file
 * is given, the public-good root fetched and verified through TUF by @sigstore/tuf.
 */
import { readFileSync } from 'node:fs';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import { UserError } from '@slipway/core';
import { jsonErrorPlace } from './predicate-types.ts';

export function readTrustedRoot(
  path: string,
  read: (file: string) => string = (f) => readFileSync(f, 'utf8'),
): TrustedRoot {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    throw new UserError(`The trusted root file ${path} (input 'trusted-root') cannot be read.`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `The trusted root file ${path} (input 'trusted-root') is not valid JSON${jsonErrorPlace(text, error)}.`,
      {
        cause: error,
      },
    );
  }
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string' || !mediaType.startsWith('application/vnd.dev.sigstore.trustedroot')) {
    throw new UserError(
      `The trusted root file ${path} (input 'trusted-root') is not a Sigstore TrustedRoot (mediaType application/vnd.dev.sigstore.trustedroot+json).`,
    );
  }
  return TrustedRoot.fromJSON(json);
}

/** Public-good trust root through TUF, cached under `cachePath` (RUNNER_TEMP in actions). */
export async function publicGoodTrustedRoot(cachePath: string, timeoutMs: number): Promise<TrustedRoot> {
  try {
    return await getTrustedRoot({ cachePath, timeout: timeoutMs, retry: 2 });
  } catch (error) {
    throw new UserError(
      `Fetching the Sigstore public-good trusted root through TUF failed: ${(error as Error).message}`,
      {
        hint: 'The runner needs HTTPS access to tuf-repo-cdn.sigstore.dev, or pass trusted-root with a TrustedRoot JSON file.',
        cause: error,
      },
    );
  }
}
