/**
 * A real OCI registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1
 * with its storage in a temp dir, plus helpers that build small OCI images with
 * umoci and push them with skopeo: no Docker engine involved. distribution 2.8
 * has no referrers API, so referrers land in the `sha256-<hex>` tag fallback.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RegistryServer {
  /** `127.0.0.1:<port>` */
  host: string;
  url: string;
  storageDir: string;
  /** Builds an image (one label makes it unique) and pushes it as `repository:tag`; returns its manifest digest. */
  pushImage(repository: string, tag: string, label?: string): Promise<string>;
  /** The digest the registry serves for `repository:reference`, or undefined. */
  manifestDigest(repository: string, reference: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startRegistry(): Promise<RegistryServer> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-registry-'));
  const storageDir = join(dir, 'storage');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storageDir}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${host}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const url = `http://${host}`;
  await waitUntilUp(url, child, () => stderr);

  let images = 0;
  const manifestDigest = async (repository: string, reference: string): Promise<string | undefined> => {
    const response = await fetch(`${url}/v2/${repository}/manifests/${reference}`, {
      method: 'HEAD',
      headers: {
        Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json',
      },
    });
    return response.status === 200 ? (response.headers.get('docker-content-digest') ?? undefined) : undefined;
  };
  return {
    host,
    url,
    storageDir,
    async pushImage(repository, tag, label = `${repository}:${tag}`) {
      const layout = join(dir, `layout-${images++}`);
      await run('umoci', ['init', '--layout', layout]);
      await run('umoci', ['new', '--image', `${layout}:${tag}`]);
      await run('umoci', [
        'config',
        '--image',
        `${layout}:${tag}`,
        '--config.label',
        `org.example.test=${label}`,
      ]);
      await run('skopeo', [
        'copy',
        '--insecure-policy',
        '--dest-tls-verify=false',
        `oci:${layout}:${tag}`,
        `docker://${host}/${repository}:${tag}`,
      ]);
      const digest = await manifestDigest(repository, tag);
      if (!digest) throw new Error(`pushed ${repository}:${tag} but the registry does not serve it`);
      return digest;
    },
    manifestDigest,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilUp(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr()}`);
    try {
      const response = await fetch(`${url}/v2/`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`docker-registry did not answer on ${url} within 15 s: ${stderr()}`);
}
