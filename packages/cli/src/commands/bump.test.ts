import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUMP_USAGE, runBumpCommand } from './bump.ts';

const fixture = resolve(import.meta.dirname, '../../../../test/fixtures/gitops/ops-repo');
const DEV = 'apps/web/overlays/dev/kustomization.yaml';
const PROD = 'apps/web/overlays/prod/kustomization.yaml';

function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bump-cli-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

async function bump(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runBumpCommand(argv, {
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => void (stderr += t),
    cwd,
    env: {},
    isTty: false,
  });
  return { code, stdout, stderr };
}

describe('slipway bump', () => {
  it('prints the diff for one image in two overlays and leaves the files alone', async () => {
    const dir = checkout();
    const before = readFileSync(join(dir, DEV), 'utf8');
    const result = await bump(
      ['--file', DEV, '--file', PROD, '--image', 'web=ghcr.io/acme/web:9b8c7d6'],
      dir,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        `--- a/${DEV}`,
        `+++ b/${DEV}`,
        '@@ -11,7 +11,7 @@',
        ' images:',
        '   - name: web # the app itself',
        '     newName: ghcr.io/acme/web',
        '-    newTag: "3f2a9c1" # {"$imagepolicy": "flux-system:web:tag"}',
        '+    newTag: "9b8c7d6" # {"$imagepolicy": "flux-system:web:tag"}',
        ' ',
        '   # sidecar, pinned by digest',
        '   - name: prom/statsd-exporter',
        `--- a/${PROD}`,
        `+++ b/${PROD}`,
        '@@ -3,7 +3,7 @@',
        ' namespace: web-prod',
        ' resources: [../../base]',
        ' images:',
        "-  - {name: web, newName: ghcr.io/acme/web, newTag: '1.4.1'}  # release train",
        "+  - {name: web, newName: ghcr.io/acme/web, newTag: '9b8c7d6'}  # release train",
        '   - {name: prom/statsd-exporter, newTag: v0.26.0}',
        ' replicas:',
        '   - name: web',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe(
      `${DEV}:12: images[web].newTag 3f2a9c1 -> 9b8c7d6\n${PROD}:6: images[web].newTag 1.4.1 -> 9b8c7d6\n`,
    );
    expect(readFileSync(join(dir, DEV), 'utf8')).toBe(before);
  });

  it('writes with --write, from --dir, and then has nothing left to do', async () => {
    const dir = checkout();
    const args = [
      '--dir',
      dir,
      '--file',
      'charts/api/values.yaml',
      '--path',
      'image.tag',
      '--value',
      '1.10',
      '--write',
    ];
    const first = await bump(args, tmpdir());
    expect(first.code).toBe(0);
    expect(readFileSync(join(dir, 'charts/api/values.yaml'), 'utf8')).toBe(
      readFileSync(join(fixture, 'charts/api/values.yaml'), 'utf8').replace('tag: "1.9.0"', 'tag: "1.10"'),
    );
    const again = await bump(args, tmpdir());
    expect(again).toEqual({ code: 0, stdout: '', stderr: 'No change needed: every value is already set.\n' });
  });

  it('reads a changes file', async () => {
    const dir = checkout();
    writeFileSync(join(dir, 'changes.yaml'), `- {file: ${DEV}, image: "web=*:abc"}\n`);
    const result = await bump(['--changes', 'changes.yaml'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`${DEV}:12: images[web].newTag 3f2a9c1 -> abc\n`);
  });

  it('fails with a message naming the problem', async () => {
    const dir = checkout();
    expect(await bump(['--file', '../x/kustomization.yaml', '--image', 'web:v1'], dir)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--file: '../x/kustomization.yaml' contains `..`"),
    });
    expect(
      (await bump(['--file', DEV, '--file', '/etc/kustomization.yaml', '--image', 'web:v1'], dir)).stderr,
    ).toContain("slipway bump: --file (the 2nd): '/etc/kustomization.yaml' is absolute.");
    expect((await bump(['--file', DEV, '--image', 'web='], dir)).stderr).toContain(
      "slipway bump: --image: 'web=' is not valid: nothing follows `=`.",
    );
    writeFileSync(join(dir, DEV), 'images:\n  - name: web\n    newTag: [v1\n');
    expect(await bump(['--file', DEV, '--image', 'web:v2'], dir)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`${DEV}:4:1: the file is not valid YAML`),
    });
    symlinkSync('/etc/hostname', join(dir, 'apps/kustomization.yaml'));
    expect((await bump(['--file', 'apps/kustomization.yaml', '--image', 'web:v2'], dir)).stderr).toContain(
      'is a symbolic link that points outside the repository',
    );
  });

  it('refuses an image name that matches no entry unless --create, naming the entries and the flag', async () => {
    const dir = checkout();
    const typo = await bump(['--file', PROD, '--image', 'wbe=ghcr.io/acme/web:2.0'], dir);
    expect(typo).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `slipway bump: ${PROD} has no \`images\` entry named 'wbe' (it has 'web', 'prom/statsd-exporter').\n` +
        "Use the entry's exact name (the image name the manifests use), or pass --create to add a new entry.\n",
    });
    const added = await bump(['--file', PROD, '--image', 'wbe=ghcr.io/acme/web:2.0', '--create'], dir);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("+  - {name: wbe, newName: ghcr.io/acme/web, newTag: '2.0'}");
    const helm = await bump(
      ['--file', 'charts/api/values.yaml', '--path', 'extra.tag', '--value', 'v1'],
      dir,
    );
    expect(helm.code).toBe(1);
    expect(helm.stderr).toContain('Check the path, or pass --create to add it.');
  });

  it('tells a kustomization from Helm values by its content', async () => {
    const dir = checkout();
    const overlay = 'apps/web/overlays/dev/overlay.yaml';
    writeFileSync(
      join(dir, overlay),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n- name: web\n  newTag: v1\n',
    );
    const result = await bump(['--file', overlay, '--image', 'web=ghcr.io/acme/web:v2'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `${overlay}:4: images[web].newName (none) -> ghcr.io/acme/web\n${overlay}:4: images[web].newTag v1 -> v2\n`,
    );
  });

  it('explains usage errors with exit code 2', async () => {
    expect(await bump(['--help'], tmpdir())).toEqual({ code: 0, stdout: BUMP_USAGE, stderr: '' });
    const missing = await bump([], tmpdir());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('give --file (with --image, or --path and --value) or --changes');
    expect((await bump(['--bogus'], tmpdir())).code).toBe(2);
    const noDir = await bump(['--dir', '/nonexistent/ops', '--file', DEV, '--image', 'web:v1'], tmpdir());
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(
      /^slipway bump: --dir \/nonexistent\/ops does not exist \(ENOENT\); give the checkout folder\n/,
    );
    const noChanges = await bump(['--changes', 'missing.yaml'], tmpdir());
    expect(noChanges.code).toBe(2);
    expect(noChanges.stderr).toContain('slipway bump: --changes missing.yaml cannot be read (ENOENT)');
    expect(BUMP_USAGE).toContain('Exit codes: 0 the edit was printed');
  });
});
