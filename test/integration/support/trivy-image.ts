/**
 * The real-trivy scan target as a container image on the loopback registry (Debian's
 * docker-registry): an OCI image built with umoci from the target's files (one layer) and pushed
 * with skopeo, no Docker engine involved.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeTrivyTarget } from './trivy-target.ts';

const run = promisify(execFile);

/** Builds the image and pushes it as `<registryHost>/<repository>:<tag>`; returns that reference. */
export async function pushTrivyTargetImage(
  registryHost: string,
  repository: string,
  tag: string,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'trivy-image-'));
  const layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  await run('umoci', ['init', '--layout', layout]);
  await run('umoci', ['new', '--image', `${layout}:${tag}`]);
  await run('umoci', ['unpack', '--rootless', '--image', `${layout}:${tag}`, bundle]);
  writeTrivyTarget(join(bundle, 'rootfs'));
  await run('umoci', ['repack', '--image', `${layout}:${tag}`, bundle]);
  const reference = `${registryHost}/${repository}:${tag}`;
  await run('skopeo', [
    'copy',
    '--insecure-policy',
    '--dest-tls-verify=false',
    `oci:${layout}:${tag}`,
    `docker://${reference}`,
  ]);
  rmSync(dir, { recursive: true, force: true });
  return reference;
}
