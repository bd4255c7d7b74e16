/**
 * What the real-trivy tests scan: an Alpine 3.22 root filesystem (os-release and the apk database
 * listing busybox 1.36.1-r28, musl 1.2.5-r0, zlib 1.3.1-r1), an npm lock file (lodash 4.17.20,
 * minimist 1.2.5, left-pad 1.3.0) with those packages installed under node_modules, a settings file holding an AWS access key ID, and a deploy/
 * folder with a Dockerfile that runs as root and a Kubernetes Pod with a privileged container.
 * test/fixtures/trivy-real/advisories.yaml seeds the DB against exactly these versions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Built at run time so no scanner of this repository mistakes it for a leaked key. */
export const FAKE_AWS_ACCESS_KEY_ID = ['AKIA', '2E0A8F3B', '244C9986'].join('');

function apkEntry(name: string, version: string, description: string): string {
  return [
    `P:${name}`,
    `V:${version}`,
    'A:x86_64',
    'S:100000',
    'I:200000',
    `T:${description}`,
    'L:MIT',
    `o:${name}`,
    't:1716000000',
    '',
  ].join('\n');
}

const FILES: Record<string, string> = {
  'etc/os-release': [
    'NAME="Alpine Linux"',
    'ID=alpine',
    'VERSION_ID=3.22.2',
    'PRETTY_NAME="Alpine Linux v3.22"',
    '',
  ].join('\n'),
  'etc/alpine-release': '3.22.2\n',
  'lib/apk/db/installed': [
    apkEntry('musl', '1.2.5-r0', 'the musl c library (libc) implementation'),
    apkEntry('busybox', '1.36.1-r28', 'Size optimized toolbox of many common UNIX utilities'),
    apkEntry('zlib', '1.3.1-r1', 'A compression/decompression Library'),
  ].join('\n'),
  'app/package-lock.json': JSON.stringify(
    {
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': {
          name: 'app',
          version: '1.0.0',
          dependencies: { 'left-pad': '1.3.0', lodash: '4.17.20', minimist: '1.2.5' },
        },
        'node_modules/left-pad': { version: '1.3.0' },
        'node_modules/lodash': { version: '4.17.20' },
        'node_modules/minimist': { version: '1.2.5' },
      },
    },
    null,
    2,
  ),
  // What an image scan reads (trivy image skips lock files and reads installed packages).
  ...Object.fromEntries(
    (
      [
        ['left-pad', '1.3.0'],
        ['lodash', '4.17.20'],
        ['minimist', '1.2.5'],
      ] as const
    ).map(([name, version]) => [
      `app/node_modules/${name}/package.json`,
      JSON.stringify({ name, version, license: 'MIT' }),
    ]),
  ),
  'app/settings.ini': `[default]\naws_access_key_id = ${FAKE_AWS_ACCESS_KEY_ID}\nregion = eu-west-1\n`,
  'deploy/Dockerfile': 'FROM alpine:3.22\nRUN apk add --no-cache curl\nCMD ["sh"]\n',
  'deploy/pod.yaml': [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: app',
    'spec:',
    '  containers:',
    '    - name: app',
    '      image: registry.example/app:1.0',
    '      securityContext:',
    '        privileged: true',
    '',
  ].join('\n'),
};

/** Writes the target under `root` (created when missing). */
export function writeTrivyTarget(root: string, only?: (path: string) => boolean): void {
  for (const [path, text] of Object.entries(FILES)) {
    if (only && !only(path)) continue;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
