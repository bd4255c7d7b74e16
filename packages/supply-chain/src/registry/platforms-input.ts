/**
 * The `platforms` input of trivy-scan and sbom: `all` (the default) or a list of
 * `os/architecture[/variant]`, one per line or comma-separated. Read and checked
 * before any network call; a malformed item names the input and the form.
 */
import { InputError, type InputReader } from '@slipway/core';
import { parsePlatform, type Platform, type PlatformFilter } from './image-platforms.ts';

const FORM = '`all`, or platforms such as `linux/amd64,linux/arm64` (os/architecture[/variant], lower case)';

export function readPlatformsInput(reader: InputReader): PlatformFilter {
  const items = reader.list('platforms', { form: FORM });
  if (items.length === 0 || (items.length === 1 && items[0] === 'all')) return 'all';
  const platforms: Platform[] = [];
  for (const item of items) {
    const platform = item === 'all' ? undefined : parsePlatform(item);
    if (!platform)
      throw new InputError(
        'platforms',
        item === 'all'
          ? 'mixes `all` with platforms'
          : `contains the item '${item}', which is not a platform`,
        FORM,
      );
    platforms.push(platform);
  }
  return platforms;
}
