import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../harness/run-action.ts';
import { SHARED_FIXTURES, buildRelease } from '../doubles/release-assets/release-assets.ts';
import { useStandInTools } from './support/stand-in-tools.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/sbom');
const fixture = (name: string) => readFileSync(join(SHARED_FIXTURES, 'syft', name), 'utf8');

const setup = useStandInTools('sbom-ws-');

describe('sbom (committed bundle, stand-in syft from the release double)', () => {
  it('writes SPDX and CycloneDX for an image in one syft run, with outputs and a summary', async () => {
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: {
        image: 'ghcr.io/octo-org/app@sha256:' + 'a'.repeat(64),
        formats: 'cyclonedx-json, spdx-json',
        'output-dir': 'out',
      },
      env: setup.runner.env(),
    });
    expect(result.exitCode, result.log).toBe(0);
    const cdx = join(setup.workspace, 'out', 'sbom.cyclonedx.json');
    const spdx = join(setup.workspace, 'out', 'sbom.spdx.json');
    expect(setup.runner.calls()).toEqual([
      {
        tool: 'syft',
        argv: [
          'scan',
          '--output',
          `cyclonedx-json=${cdx}`,
          '--output',
          `spdx-json=${spdx}`,
          '--',
          'ghcr.io/octo-org/app@sha256:' + 'a'.repeat(64),
        ],
      },
    ]);
    expect(readFileSync(cdx, 'utf8')).toBe(fixture('image.cyclonedx.json'));
    expect(readFileSync(spdx, 'utf8')).toBe(fixture('image.spdx.json'));
    expect(result.outputs).toEqual({
      files: `${cdx}\n${spdx}`,
      'cyclonedx-json-file': cdx,
      'spdx-json-file': spdx,
      packages: '2',
      'syft-version': '1.51.0',
    });
    // the document's operating-system component (the distro) is not counted as a package
    expect(result.summary).toContain('| cyclonedx-json | out/sbom.cyclonedx.json | 2 |');
    expect(result.summary).toContain('| deb | 1 |\n| python | 1 |');
    expect(result.summary).not.toContain('operating-system');
  });

  it('catalogues a directory as dir:<absolute path> with the default format', async () => {
    mkdirSync(join(setup.workspace, 'src app'));
    writeFileSync(join(setup.workspace, 'src app', 'package.json'), '{}');
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { path: 'src app' },
      env: setup.runner.env(),
    });
    expect(result.exitCode, result.log).toBe(0);
    const spdx = join(setup.workspace, 'sbom.spdx.json');
    expect(setup.runner.calls()[0]!.argv).toEqual([
      'scan',
      '--output',
      `spdx-json=${spdx}`,
      '--',
      `dir:${join(setup.workspace, 'src app')}`,
    ]);
    expect(readFileSync(spdx, 'utf8')).toBe(fixture('directory.spdx.json'));
    expect(result.outputs.packages).toBe('2');
  });

  it('the second run on a warm cache downloads nothing', async () => {
    await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { image: 'alpine:3' },
      env: setup.runner.env(),
    });
    setup.tools.server.resetCounters();
    const second = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { image: 'alpine:3' },
      env: setup.runner.env(),
    });
    expect(second.exitCode, second.log).toBe(0);
    expect(setup.tools.server.totalBytes()).toBe(0);
    expect(second.log).toContain('syft 1.51.0: actions-cache, 0 bytes downloaded.');
  });

  it.each([
    [
      {},
      "Input 'image' and path are both empty. Expected exactly one of `image` (an image reference) or `path` (a directory or file).",
    ],
    [
      { image: 'a:1', path: '.' },
      "Input 'path' is set together with image. Expected exactly one of `image` (an image reference) or `path` (a directory or file).",
    ],
    [
      { path: 'nope' },
      "Input 'path' names nope, which does not exist. Expected an existing directory or file, relative to the workspace.",
    ],
    [
      { image: 'a:1', formats: 'spdx-json\nsyft-table' },
      "Input 'formats' contains the item 'syft-table', which is not valid. Expected one or more of: spdx-json, cyclonedx-json.",
    ],
  ])('refuses %j before running anything', async (inputs, message) => {
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs,
      env: setup.runner.env(),
    });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(message);
    expect(setup.tools.server.requests).toEqual([]);
    expect(setup.runner.calls()).toEqual([]);
  });

  it('refuses a syft version outside the lock whose release publishes no checksums signature, and runs nothing', async () => {
    setup.tools.server.add(buildRelease('syft', '1.52.0'));
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { image: 'a:1', version: '1.52.0' },
      env: setup.runner.env(),
    });
    const download = `${setup.tools.server.url}/anchore/syft/releases/download/v1.52.0`;
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(
      `${download}/syft_1.52.0_checksums.txt.sig was not found (HTTP 404): syft 1.52.0 publishes no signature for syft_1.52.0_checksums.txt, so nothing vouches for its checksums. Refusing to install a version outside tools.lock.json on an unsigned release.`,
    );
    expect(setup.tools.server.requests).toEqual([
      '/anchore/syft/releases/download/v1.52.0/syft_1.52.0_checksums.txt',
      '/objects/anchore/syft/releases/download/v1.52.0/syft_1.52.0_checksums.txt',
      '/anchore/syft/releases/download/v1.52.0/syft_1.52.0_checksums.txt.sig',
    ]);
    expect(setup.runner.calls()).toEqual([]);
  });

  it('installs that version on its checksums file alone with allow-unverified-tool, with a warning', async () => {
    setup.tools.server.add(buildRelease('syft', '1.52.0'));
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { image: 'a:1', version: '1.52.0', 'allow-unverified-tool': 'true' },
      env: setup.runner.env(),
    });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs['syft-version']).toBe('1.52.0');
    expect(result.log).toContain(
      '::warning::syft 1.52.0 is installed WITHOUT signature verification (allow-unverified-tool is set).',
    );
    expect(setup.tools.server.requests.some((p) => p.endsWith('.sig') || p.endsWith('.pem'))).toBe(false);
  });

  it('reports a failing syft with its last log lines', async () => {
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { image: 'alpine:3' },
      env: setup.runner.env({ STANDIN_EXIT_CODE: '1' }),
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      'syft could not catalogue alpine:3 (exit 1):\nsyft stand-in: failing as asked\nCheck the `image` input: an image reference the runner can pull (log in to a private registry first, e.g. with docker/login-action).',
    ]);
  });
});
