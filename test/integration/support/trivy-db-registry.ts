/**
 * Publishes the test DB to the loopback registry the way Aqua publishes trivy-db and
 * trivy-java-db: a single-layer OCI artifact whose layer is a tar.gz of the DB folder (media type
 * application/vnd.aquasec.trivy.db.layer.v1.tar+gzip, or ...javadb... for the Java DB; file name in
 * the org.opencontainers.image.title annotation), tagged with the DB schema version (2 and 1),
 * pushed through the registry's HTTP API (distribution spec: monolithic blob upload, manifest PUT).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTrivyTestDb } from './trivy-test-db.ts';

const digestOf = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function pushBlob(registryUrl: string, repository: string, data: Buffer): Promise<string> {
  const digest = digestOf(data);
  const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`blob upload start: HTTP ${start.status}`);
  const location = new URL(start.headers.get('location')!, registryUrl);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: data,
  });
  if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status} ${await put.text()}`);
  return digest;
}

async function pushArtifact(
  registryUrl: string,
  repository: string,
  tag: string,
  layer: { data: Buffer; mediaType: string; fileName: string },
): Promise<void> {
  const config = Buffer.from('{}');
  const configDigest = await pushBlob(registryUrl, repository, config);
  const layerDigest = await pushBlob(registryUrl, repository, layer.data);
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.aquasec.trivy.config.v1+json',
      digest: configDigest,
      size: config.length,
    },
    layers: [
      {
        mediaType: layer.mediaType,
        digest: layerDigest,
        size: layer.data.length,
        annotations: { 'org.opencontainers.image.title': layer.fileName },
      },
    ],
  };
  const put = await fetch(`${registryUrl}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': manifest.mediaType },
    body: JSON.stringify(manifest),
  });
  if (put.status !== 201) throw new Error(`manifest push: HTTP ${put.status} ${await put.text()}`);
}

/** Pushes the test DB as `<host>/aquasecurity/trivy-db:2` and `<host>/aquasecurity/trivy-java-db:1`. */
export async function publishTrivyTestDb(registryUrl: string): Promise<{ db: string; javaDb: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'trivy-db-artifact-'));
  writeTrivyTestDb(dir);
  const pack = (folder: string) => {
    const out = join(dir, `${folder}.tar.gz`);
    execFileSync('tar', ['-czf', out, '-C', join(dir, folder), '.']);
    return readFileSync(out);
  };
  await pushArtifact(registryUrl, 'aquasecurity/trivy-db', '2', {
    data: pack('db'),
    mediaType: 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip',
    fileName: 'db.tar.gz',
  });
  await pushArtifact(registryUrl, 'aquasecurity/trivy-java-db', '1', {
    data: pack('java-db'),
    mediaType: 'application/vnd.aquasec.trivy.javadb.layer.v1.tar+gzip',
    fileName: 'javadb.tar.gz',
  });
  rmSync(dir, { recursive: true, force: true });
  const host = new URL(registryUrl).host;
  return { db: `${host}/aquasecurity/trivy-db`, javaDb: `${host}/aquasecurity/trivy-java-db` };
}
