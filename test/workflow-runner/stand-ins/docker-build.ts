/**
 * Stand-ins for docker/setup-buildx-action and docker/build-push-action. BuildKit is
 * not available here (no Docker engine), so build-push checks what the real action
 * would hand to `docker buildx build` (Git context with an optional sub-folder, a
 * relative Dockerfile, platforms, tags that are valid lower-case references, labels,
 * secrets as id=value lines, push/provenance/sbom flags), requires a docker config
 * login for the registry it pushes to, and pushes a real image (empty unless the test gives
 * one) for each tag to the loopback OCI registry double; its `digest` output is what the registry serves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryServer } from '../../doubles/oci-registry/registry-server.ts';
import {
  booleanInput,
  expectKnownInputs,
  StandInInputError,
  type StandIn,
  type StandInCall,
} from '../stand-in.ts';

const BUILDX_INPUTS = [
  'version',
  'driver',
  'driver-opts',
  'buildkitd-flags',
  'install',
  'use',
  'name',
  'platforms',
  'cleanup',
];
const BUILD_INPUTS = [
  'context',
  'file',
  'platforms',
  'push',
  'load',
  'provenance',
  'sbom',
  'tags',
  'labels',
  'secrets',
  'build-args',
  'cache-from',
  'cache-to',
  'outputs',
  'target',
  'annotations',
  'no-cache',
  'pull',
  'github-token',
];

export interface BuildRecord {
  /** The Git context BuildKit would fetch: <server>/<repo>.git#<sha>[:subdir]. */
  gitContext: string;
  file: string;
  platforms: string[];
  tags: string[];
  labels: Record<string, string>;
  secretIds: string[];
  provenance: string;
  sbom: boolean;
  digest: string;
}

const lines = (value: string | undefined) =>
  (value ?? '')
    .split(/\n|,(?![^=]*=)/)
    .map((l) => l.trim())
    .filter(Boolean);

export function setupBuildxStandIn(): StandIn {
  return (call: StandInCall) => {
    expectKnownInputs(call, BUILDX_INPUTS);
    return {
      outputs: { name: 'builder-local', driver: 'docker-container', platforms: 'linux/amd64,linux/arm64' },
    };
  };
}

/**
 * `names`: registry host names the double also stands for (a cloud registry such as
 * `<account>.dkr.ecr.<region>.amazonaws.com`, which does not resolve here); a push to one of them
 * goes to the double under the same repository and tag, and needs a docker login for that name.
 * `pushImage`: what the build pushes for one tag, returning the digest the registry serves (default an
 * empty image; the real-tools tests push an image with packages in it).
 */
export function buildPushStandIn(
  registry: RegistryServer,
  {
    names = [],
    pushImage = (repository, tag) => registry.pushImage(repository, tag),
  }: { names?: string[]; pushImage?: (repository: string, tag: string) => Promise<string> } = {},
): { standIn: StandIn; builds: BuildRecord[] } {
  const builds: BuildRecord[] = [];
  const standIn = async (call: StandInCall) => {
    expectKnownInputs(call, BUILD_INPUTS);
    const fail = (message: string) => new StandInInputError(call.uses, message);
    const context = call.with.context ?? '{{defaultContext}}';
    const git = /^\{\{defaultContext\}\}(?::([A-Za-z0-9._/-]+))?$/.exec(context);
    if (!git)
      throw fail(`not supported by the local runner: context ${JSON.stringify(context)} (Git context only)`);
    const file = call.with.file ?? 'Dockerfile';
    if (file === '' || file.startsWith('/') || file.split('/').includes('..'))
      throw fail(`input 'file' must be a path relative to the context, got ${JSON.stringify(file)}`);
    const platforms = lines(call.with.platforms);
    for (const p of platforms)
      if (!/^linux\/(amd64|arm64|arm\/v7|386|ppc64le|s390x)$/.test(p)) throw fail(`unknown platform ${p}`);
    const push = booleanInput(call, 'push', false);
    if (!push) throw fail('not supported by the local runner: a build that is not pushed');
    const sbom = booleanInput(call, 'sbom', false);
    const provenance = call.with.provenance ?? '';
    if (!/^(true|false|mode=(min|max)|)$/.test(provenance))
      throw fail(`invalid provenance ${JSON.stringify(provenance)}`);
    const tags = lines(call.with.tags);
    if (tags.length === 0) throw fail("input 'tags' is empty: nothing to push");
    const labels: Record<string, string> = {};
    for (const line of (call.with.labels ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)) {
      const eq = line.indexOf('=');
      if (eq <= 0) throw fail(`label ${JSON.stringify(line)} is not key=value`);
      labels[line.slice(0, eq)] = line.slice(eq + 1);
    }
    const secretIds = (call.with.secrets ?? '')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((line) => {
        const eq = line.indexOf('=');
        if (eq <= 0) throw fail('a build secret is not id=value');
        return line.slice(0, eq);
      });
    const config = join(call.env.DOCKER_CONFIG || join(call.env.HOME ?? '', '.docker'), 'config.json');
    const auths = existsSync(config)
      ? ((JSON.parse(readFileSync(config, 'utf8')) as { auths?: object }).auths ?? {})
      : {};
    let digest = '';
    for (const tag of tags) {
      const ref = /^([a-z0-9.-]+(?::[0-9]+)?)\/([a-z0-9._/-]+):([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/.exec(
        tag,
      );
      if (!ref)
        throw fail(`tag ${JSON.stringify(tag)} is not a valid lower-case host/repository:tag reference`);
      const [, host, repository, name] = ref as unknown as [string, string, string, string];
      if (host !== registry.host && !names.includes(host))
        throw fail(`not supported by the local runner: pushing to ${host}`);
      if (!(host in auths))
        throw fail(`push to ${host} denied: no docker login for it (run docker/login-action first)`);
      const pushed = await pushImage(repository, name);
      if (digest && pushed !== digest) throw fail('tags of one build got different digests');
      digest = pushed;
    }
    const gitContext = `${call.github.serverUrl}/${call.github.repository}.git#${call.github.sha}${git[1] ? `:${git[1]}` : ''}`;
    builds.push({ gitContext, file, platforms, tags, labels, secretIds, provenance, sbom, digest });
    return {
      outputs: {
        digest,
        imageid: digest,
        metadata: JSON.stringify({ 'containerimage.digest': digest, 'image.name': tags.join(',') }),
      },
      log: [`pushed ${tags.join(', ')} (${digest}) from ${gitContext}`],
    };
  };
  return { standIn, builds };
}
