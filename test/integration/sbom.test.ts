import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../harness/run-action.ts';
import { SHARED_FIXTURES } from '../doubles/release-assets/release-assets.ts';
import {
  simulatedRunner,
  startToolReleases,
  type SimulatedRunner,
  type ToolReleases,
} from '../doubles/release-assets/action-env.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/sbom');
const fixture = (name: string) => readFileSync(join(SHARED_FIXTURES, 'syft', name), 'utf8');

let tools: ToolReleases;
let runner: SimulatedRunner;
let workspace: string;

beforeAll(async () => {
  tools = await startToolReleases();
});
afterAll(() => tools.server.close());
beforeEach(() => {
  runner = simulatedRunner(tools);
  workspace = mkdtempSync(join(tmpdir(), 'sbom-ws-'));
  tools.server.resetCounters();
});

describe('sbom (committed bundle, stand-in syft from the release double)', () => {
  it('writes SPDX and CycloneDX for an image in one syft run, with outputs and a summary', async () => {
    const result = await runAction({
      actionDir,
      workspace,
      inputs: {
        image: 'ghcr.io/octo-org/app@sha256:' + 'a'.repeat(64),
        formats: 'cyclonedx-json, spdx-json',
        'output-dir': 'out',
      },
      env: runner.env(),
    });
    expect(result.exitCode, result.log).toBe(0);
    const cdx = join(workspace, 'out', 'sbom.cyclonedx.json');
    const spdx = join(workspace, 'out', 'sbom.spdx.json');
    expect(runner.calls()).toEqual([
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
      packages: '3',
      'syft-version': '1.51.0',
    });
    expect(result.summary).toContain('| cyclonedx-json | out/sbom.cyclonedx.json | 3 |');
    expect(result.summary).toContain('| operating-system | 1 |');
  });

  it('catalogues a directory as dir:<absolute path> with the default format', async () => {
    mkdirSync(join(workspace, 'src app'));
    writeFileSync(join(workspace, 'src app', 'package.json'), '{}');
    const result = await runAction({ actionDir, workspace, inputs: { path: 'src app' }, env: runner.env() });
    expect(result.exitCode, result.log).toBe(0);
    const spdx = join(workspace, 'sbom.spdx.json');
    expect(runner.calls()[0]!.argv).toEqual([
      'scan',
      '--output',
      `spdx-json=${spdx}`,
      '--',
      `dir:${join(workspace, 'src app')}`,
    ]);
    expect(readFileSync(spdx, 'utf8')).toBe(fixture('directory.spdx.json'));
    expect(result.outputs.packages).toBe('2');
  });

  it('the second run on a warm cache downloads nothing', async () => {
    await runAction({ actionDir, workspace, inputs: { image: 'alpine:3' }, env: runner.env() });
    tools.server.resetCounters();
    const second = await runAction({
      actionDir,
      workspace,
      inputs: { image: 'alpine:3' },
      env: runner.env(),
    });
    expect(second.exitCode, second.log).toBe(0);
    expect(tools.server.totalBytes()).toBe(0);
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
    [{ image: 'a:1', version: '1.52.0' }, 'syft 1.52.0 is not in tools.lock.json.'],
  ])('refuses %j before running anything', async (inputs, message) => {
    const result = await runAction({ actionDir, workspace, inputs, env: runner.env() });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(message);
    expect(tools.server.requests).toEqual([]);
    expect(runner.calls()).toEqual([]);
  });

  it('reports a failing syft with its last log lines', async () => {
    const result = await runAction({
      actionDir,
      workspace,
      inputs: { image: 'alpine:3' },
      env: runner.env({ STANDIN_EXIT_CODE: '1' }),
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      'syft could not catalogue alpine:3 (exit 1):\nsyft stand-in: failing as asked',
    ]);
  });
});
