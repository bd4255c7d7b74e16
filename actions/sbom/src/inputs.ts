import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError, InputReader } from '@slipway/core';
import { parseImageReference, type PlatformFilter, readPlatformsInput } from '@slipway/supply-chain/registry';
import {
  defaultFileName,
  registryImageRef,
  SBOM_FORMATS,
  type SbomOutput,
  type SbomSource,
} from '@slipway/supply-chain/syft';

export interface Inputs {
  source: SbomSource;
  /** One entry per requested format, absolute paths. */
  outputs: SbomOutput[];
  'output-dir': string;
  'upload-artifact': boolean;
  'artifact-name': string;
  version: string | undefined;
  'allow-unverified-tool': boolean;
  'releases-url': string | undefined;
  /** `all`, or the platform images of an index to catalogue (registry images only). */
  platforms: PlatformFilter;
}

const VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const ARTIFACT_NAME = /^[^"<>:|*?\\/\r\n]{1,200}$/;

/** Reads and validates every input; nothing here touches the network. */
export function getInputs(
  reader = new InputReader(),
  workspace = process.env.GITHUB_WORKSPACE ?? process.cwd(),
): Inputs {
  const inWorkspace = (path: string) => (isAbsolute(path) ? path : resolve(workspace, path));
  const image = reader.string('image');
  const path = reader.string('path');
  if ((image === undefined) === (path === undefined)) {
    throw new InputError(
      image ? 'path' : 'image',
      image ? 'is set together with image' : 'and path are both empty',
      'exactly one of `image` (an image reference) or `path` (a directory or file)',
    );
  }
  let source: SbomSource;
  if (image !== undefined) {
    if (/[\s]/.test(image))
      throw new InputError(
        'image',
        `has the value '${image}', which contains whitespace`,
        'an image reference such as ghcr.io/org/app@sha256:...',
      );
    source = { kind: 'image', ref: image };
  } else {
    const absolute = inWorkspace(path!);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch {
      throw new InputError(
        'path',
        `names ${path}, which does not exist`,
        'an existing directory or file, relative to the workspace',
      );
    }
    source = { kind: isDirectory ? 'dir' : 'file', path: absolute };
  }
  const formats = [
    ...new Set(
      reader.list('formats', {
        itemPattern: /^(spdx-json|cyclonedx-json)$/,
        form: `one or more of: ${SBOM_FORMATS.join(', ')}`,
      }),
    ),
  ];
  const platforms = readPlatformsInput(reader);
  if (platforms !== 'all') {
    const registryRef = source.kind === 'image' ? registryImageRef(source.ref) : undefined;
    if (!registryRef)
      throw new InputError(
        'platforms',
        image === undefined ? 'is set for a path' : `is set, but ${image} is not read from a registry`,
        '`all` unless `image` is a registry image reference',
      );
    try {
      parseImageReference(registryRef.ref);
    } catch (error) {
      throw new InputError(
        'image',
        `is not a registry image reference, which the input 'platforms' needs (${(error as Error).message})`,
        '`registry/repository:tag` or `registry/repository@sha256:<digest>`, or platforms `all`',
      );
    }
  }
  const outputDir = inWorkspace(reader.string('output-dir') ?? '.');
  return {
    platforms,
    source,
    outputs: (formats.length > 0 ? formats : ['spdx-json']).map((format) => ({
      format: format as SbomOutput['format'],
      path: join(outputDir, defaultFileName(format as SbomOutput['format'])),
    })),
    'output-dir': outputDir,
    'upload-artifact': reader.boolean('upload-artifact', false),
    'artifact-name':
      reader.string('artifact-name', {
        pattern: ARTIFACT_NAME,
        form: 'an artifact name without " < > : | * ? \\ / or line breaks',
      }) ?? 'sbom',
    version: reader.string('version', { pattern: VERSION, form: 'a syft release version such as 1.51.0' }),
    'allow-unverified-tool': reader.boolean('allow-unverified-tool', false),
    'releases-url': reader.string('releases-url', {
      pattern: /^https?:\/\/\S+$/,
      form: 'an http(s) URL serving <owner>/<repo>/releases/download/...',
    }),
  };
}
