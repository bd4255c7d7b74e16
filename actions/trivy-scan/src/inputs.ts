import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError, InputReader } from '@slipway/core';
import {
  DEFAULT_DB_REPOSITORIES,
  DEFAULT_JAVA_DB_REPOSITORIES,
  type FailOn,
  SCAN_TYPES,
  type ScanType,
  SEVERITIES,
  type Severity,
} from '@slipway/supply-chain/trivy';
import { CACHE_MODES, type CacheMode } from '@slipway/supply-chain/tools';
import { parseImageReference, type PlatformFilter, readPlatformsInput } from '@slipway/supply-chain/registry';

export interface Inputs {
  'scan-type': ScanType;
  target: string;
  severity: Severity;
  'ignore-unfixed': boolean;
  /** Absolute path, or undefined when none is used. */
  trivyignore: string | undefined;
  /** Absolute path of the user's trivy config, or undefined (an empty one of Slipway's is used). */
  'trivy-config': string | undefined;
  'skip-dirs': string[];
  'fail-on': FailOn;
  /** Absolute paths. */
  'sarif-file': string;
  'json-file': string;
  'db-repository': string[];
  'java-db-repository': string[];
  'cache-db': CacheMode;
  version: string | undefined;
  'allow-unverified-tool': boolean;
  'releases-url': string | undefined;
  /** `all`, or the platform images of an index to scan (image scans only). */
  platforms: PlatformFilter;
}

const REPOSITORY = /^[a-z0-9][a-z0-9.-]*(:\d+)?(\/[a-z0-9._-]+)+$/;
const VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const URL_FORM = /^https?:\/\/[^\s]+$/;

/** Reads and validates every input; nothing here touches the network. */
export function getInputs(
  reader = new InputReader(),
  workspace = process.env.GITHUB_WORKSPACE ?? process.cwd(),
): Inputs {
  const inWorkspace = (path: string) => (isAbsolute(path) ? path : resolve(workspace, path));
  const target = reader.string('target', {
    required: true,
    form: 'an image reference, a path, or an SBOM file',
  });
  if (/[\r\n]/.test(target))
    throw new InputError('target', 'contains a line break', 'a single image reference or path');
  const ignoreInput = reader.string('trivyignore');
  let trivyignore: string | undefined;
  if (ignoreInput !== undefined) {
    trivyignore = inWorkspace(ignoreInput);
    if (!existsSync(trivyignore))
      throw new InputError(
        'trivyignore',
        `names ${ignoreInput}, which does not exist`,
        'the path of an existing ignore file',
      );
  } else if (existsSync(inWorkspace('.trivyignore'))) {
    trivyignore = inWorkspace('.trivyignore');
  }
  const configInput = reader.string('trivy-config');
  const trivyConfig = configInput === undefined ? undefined : inWorkspace(configInput);
  if (configInput !== undefined && !existsSync(trivyConfig!))
    throw new InputError(
      'trivy-config',
      `names ${configInput}, which does not exist`,
      'the path of an existing trivy config file (trivy.yaml format), relative to the workspace',
    );
  const dbRepositories = reader.list('db-repository', {
    itemPattern: REPOSITORY,
    form: 'registry repositories such as ghcr.io/aquasecurity/trivy-db',
  });
  const javaDbRepositories = reader.list('java-db-repository', {
    itemPattern: REPOSITORY,
    form: 'registry repositories such as ghcr.io/aquasecurity/trivy-java-db',
  });
  const scanType = reader.enumeration('scan-type', SCAN_TYPES, 'image');
  const platforms = readPlatformsInput(reader);
  if (platforms !== 'all') {
    if (scanType !== 'image')
      throw new InputError('platforms', `is set for a ${scanType} scan`, '`all` unless scan-type is image');
    try {
      parseImageReference(target);
    } catch (error) {
      throw new InputError(
        'target',
        `is not a registry image reference, which the input 'platforms' needs (${(error as Error).message})`,
        '`registry/repository:tag` or `registry/repository@sha256:<digest>`, or platforms `all`',
      );
    }
  }
  return {
    'scan-type': scanType,
    target,
    platforms,
    severity: reader.enumeration('severity', SEVERITIES, 'UNKNOWN'),
    'ignore-unfixed': reader.boolean('ignore-unfixed', false),
    trivyignore,
    'trivy-config': trivyConfig,
    'skip-dirs': reader.list('skip-dirs'),
    'fail-on': reader.enumeration('fail-on', ['none', ...SEVERITIES] as const, 'none'),
    'sarif-file': inWorkspace(reader.string('sarif-file') ?? 'trivy-results.sarif'),
    'json-file': inWorkspace(reader.string('json-file') ?? 'trivy-results.json'),
    'db-repository': dbRepositories.length > 0 ? dbRepositories : DEFAULT_DB_REPOSITORIES,
    'java-db-repository': javaDbRepositories.length > 0 ? javaDbRepositories : DEFAULT_JAVA_DB_REPOSITORIES,
    'cache-db': reader.enumeration('cache-db', CACHE_MODES, 'auto'),
    version: reader.string('version', { pattern: VERSION, form: 'a trivy release version such as 0.74.0' }),
    'allow-unverified-tool': reader.boolean('allow-unverified-tool', false),
    'releases-url': reader.string('releases-url', {
      pattern: URL_FORM,
      form: 'an http(s) URL serving <owner>/<repo>/releases/download/...',
    }),
  };
}
