/**
 * Builds a small OCI image the way an Alpine-based Node.js image looks to a cataloguer, without
 * Docker: an Alpine `/etc/os-release`, an apk database (`/lib/apk/db/installed`) with a few
 * packages in apk's own `X:value` format, and an app folder with its package.json,
 * package-lock.json (lockfileVersion 3) and the node_modules that `npm ci --omit=dev` installs
 * (so the dev dependency named by the lock file is NOT in the image). The files are written into
 * an unpacked bundle's rootfs and become one layer with `umoci repack` (umoci 0.4.7's `insert`
 * writes a tar stream without its end-of-archive blocks), then skopeo pushes the image to the
 * loopback registry.
 * The expected package lists are exported beside the builder so tests compare against the files.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { RegistryServer } from '../../doubles/oci-registry/registry-server.ts';

const run = promisify(execFile);

export interface ApkEntry {
  name: string;
  version: string;
  origin: string;
  license: string;
  description: string;
  url: string;
  files: string[];
}

export interface NpmEntry {
  name: string;
  version: string;
  license: string;
  /** Only in package-lock.json (a dev dependency `npm ci --omit=dev` leaves out). */
  dev?: boolean;
}

export const ALPINE_VERSION = '3.20.3';

export const APK_PACKAGES: readonly ApkEntry[] = [
  {
    name: 'musl',
    version: '1.2.5-r0',
    origin: 'musl',
    license: 'MIT',
    description: 'the musl c library (libc) implementation',
    url: 'https://musl.libc.org/',
    files: ['lib/ld-musl-x86_64.so.1', 'lib/libc.musl-x86_64.so.1'],
  },
  {
    name: 'busybox',
    version: '1.36.1-r29',
    origin: 'busybox',
    license: 'GPL-2.0-only',
    description: 'Size optimized toolbox of many common UNIX utilities',
    url: 'https://busybox.net/',
    files: ['bin/busybox'],
  },
  {
    name: 'libcrypto3',
    version: '3.3.2-r0',
    origin: 'openssl',
    license: 'Apache-2.0',
    description: 'Crypto library from openssl',
    url: 'https://www.openssl.org/',
    files: ['lib/libcrypto.so.3'],
  },
];

export const APP_NAME = 'demo-app';
export const APP_VERSION = '1.4.2';

export const NPM_PACKAGES: readonly NpmEntry[] = [
  { name: 'ms', version: '2.1.3', license: 'MIT' },
  { name: 'is-number', version: '7.0.0', license: 'MIT' },
  { name: '@isaacs/string-locale-compare', version: '1.1.0', license: 'ISC' },
  { name: 'left-pad', version: '1.3.0', license: 'WTFPL', dev: true },
];

/** apk's installed database: one paragraph per package, `X:value` lines, a blank line after each. */
export function apkInstalledDb(packages: readonly ApkEntry[]): string {
  return packages
    .map((p, i) => {
      const lines = [
        `C:Q1${Buffer.from(`${p.name}-${p.version}-checksum`).toString('base64').slice(0, 27)}=`,
        `P:${p.name}`,
        `V:${p.version}`,
        'A:x86_64',
        `S:${100_000 + i * 4096}`,
        `I:${300_000 + i * 8192}`,
        `T:${p.description}`,
        `U:${p.url}`,
        `L:${p.license}`,
        `o:${p.origin}`,
        'm:Natanael Copa <ncopa@alpinelinux.org>',
        `t:${1_725_000_000 + i}`,
        `c:${(i + 1).toString(16).repeat(40).slice(0, 40)}`,
      ];
      const byDir = new Map<string, string[]>();
      for (const file of p.files) {
        const dir = dirname(file);
        byDir.set(dir, [...(byDir.get(dir) ?? []), file.slice(dir.length + 1)]);
      }
      for (const [dir, names] of byDir) {
        lines.push(`F:${dir}`);
        for (const name of names) lines.push(`R:${name}`, 'a:0:0:755');
      }
      return lines.join('\n') + '\n';
    })
    .join('\n');
}

/** package-lock.json, lockfileVersion 3, as npm 9+ writes it. */
export function packageLock(app: string, version: string, packages: readonly NpmEntry[]): string {
  const deps = (dev: boolean) =>
    Object.fromEntries(packages.filter((p) => !!p.dev === dev).map((p) => [p.name, `^${p.version}`]));
  const lock = {
    name: app,
    version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: app, version, license: 'MIT', dependencies: deps(false), devDependencies: deps(true) },
      ...Object.fromEntries(
        packages.map((p) => [
          `node_modules/${p.name}`,
          {
            version: p.version,
            resolved: `https://registry.npmjs.org/${p.name}/-/${p.name.split('/').pop()}-${p.version}.tgz`,
            integrity: `sha512-${Buffer.from(`${p.name}@${p.version}`).toString('base64')}`,
            license: p.license,
            ...(p.dev ? { dev: true } : {}),
          },
        ]),
      ),
    },
  };
  return JSON.stringify(lock, null, 2) + '\n';
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** Writes the image's files under `root` (the image's `/`). */
export function writeImageFiles(root: string): void {
  write(
    root,
    'etc/os-release',
    [
      'NAME="Alpine Linux"',
      'ID=alpine',
      `VERSION_ID=${ALPINE_VERSION}`,
      `PRETTY_NAME="Alpine Linux v${ALPINE_VERSION.split('.').slice(0, 2).join('.')}"`,
      'HOME_URL="https://alpinelinux.org/"',
      'BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"',
      '',
    ].join('\n'),
  );
  write(root, 'lib/apk/db/installed', apkInstalledDb(APK_PACKAGES));
  write(
    root,
    'app/package.json',
    JSON.stringify(
      {
        name: APP_NAME,
        version: APP_VERSION,
        private: true,
        license: 'MIT',
        dependencies: Object.fromEntries(
          NPM_PACKAGES.filter((p) => !p.dev).map((p) => [p.name, `^${p.version}`]),
        ),
        devDependencies: Object.fromEntries(
          NPM_PACKAGES.filter((p) => p.dev).map((p) => [p.name, `^${p.version}`]),
        ),
      },
      null,
      2,
    ) + '\n',
  );
  write(root, 'app/package-lock.json', packageLock(APP_NAME, APP_VERSION, NPM_PACKAGES));
  for (const p of NPM_PACKAGES.filter((p) => !p.dev)) {
    write(
      root,
      `app/node_modules/${p.name}/package.json`,
      JSON.stringify({ name: p.name, version: p.version, license: p.license }, null, 2) + '\n',
    );
  }
}

/**
 * Builds the image (one layer holding the files of writeImageFiles) and pushes it to the registry
 * as `repository:tag`; returns the manifest digest the registry serves.
 */
export async function pushAlpineNpmImage(
  registry: RegistryServer,
  repository: string,
  tag: string,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'alpine-npm-image-'));
  const layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  const rootless = process.getuid?.() === 0 ? [] : ['--rootless'];
  await run('umoci', ['init', '--layout', layout]);
  await run('umoci', ['new', '--image', `${layout}:${tag}`]);
  await run('umoci', ['unpack', ...rootless, '--image', `${layout}:${tag}`, bundle]);
  writeImageFiles(join(bundle, 'rootfs'));
  await run('umoci', ['repack', '--image', `${layout}:${tag}`, bundle]);
  await run('umoci', ['config', '--image', `${layout}:${tag}`, '--config.workingdir', '/app']);
  await run('skopeo', [
    'copy',
    '--insecure-policy',
    '--dest-tls-verify=false',
    `oci:${layout}:${tag}`,
    `docker://${registry.host}/${repository}:${tag}`,
  ]);
  const digest = await registry.manifestDigest(repository, tag);
  if (!digest) throw new Error(`pushed ${repository}:${tag} but the registry does not serve it`);
  return digest;
}
