/**
 * The exact argv Slipway passes to syft. The source is the last entry, after
 * `--`; each output is one `--output <format>=<path>` pair of entries. No shell.
 */
export const SBOM_FORMATS = ['spdx-json', 'cyclonedx-json'] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

/** What to catalogue: an image reference (any syft source scheme allowed), a directory or a single file. */
export type SbomSource =
  { kind: 'image'; ref: string } | { kind: 'dir'; path: string } | { kind: 'file'; path: string };

export interface SbomOutput {
  format: SbomFormat;
  path: string;
}

export function syftSource(source: SbomSource): string {
  return source.kind === 'image' ? source.ref : `${source.kind}:${source.path}`;
}

export function syftScanArgv(source: SbomSource, outputs: readonly SbomOutput[]): string[] {
  return ['scan', ...outputs.flatMap((o) => ['--output', `${o.format}=${o.path}`]), '--', syftSource(source)];
}

/** syft's source schemes other than `registry:` (the registry is where an image index lives). */
const NON_REGISTRY_SCHEMES = [
  'docker',
  'podman',
  'containerd',
  'docker-archive',
  'oci-archive',
  'oci-dir',
  'singularity',
  'dir',
  'file',
];

/**
 * The registry reference of an image source and the scheme to put back before each platform
 * digest (`registry:` or none); undefined for a source that is not read from a registry
 * (`oci-archive:`, `docker:`, ...).
 */
export function registryImageRef(ref: string): { ref: string; scheme: string } | undefined {
  const colon = ref.indexOf(':');
  const scheme = colon === -1 ? '' : ref.slice(0, colon);
  if (scheme === 'registry') return { ref: ref.slice(colon + 1), scheme: 'registry:' };
  if (NON_REGISTRY_SCHEMES.includes(scheme)) return undefined;
  return { ref, scheme: '' };
}

/** The file name used for each format inside the output directory. */
export function defaultFileName(format: SbomFormat): string {
  return format === 'spdx-json' ? 'sbom.spdx.json' : 'sbom.cyclonedx.json';
}

/**
 * Environment for every syft run: no update check against the network, and no colour codes in
 * its log (syft colours its errors whenever TERM is set, even to `dumb` and into a pipe, and that
 * log ends up in the step's error annotation).
 */
export const SYFT_ENV: Record<string, string> = { SYFT_CHECK_FOR_APP_UPDATE: 'false', NO_COLOR: '1' };
