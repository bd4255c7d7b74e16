/**
 * The real programs scripts/real-tools.js builds: every tool in scripts/real-tools.json resolves to a
 * built binary that runs and prints its pinned version (a stub or a build without the release
 * ldflags prints "dev" or nothing), and a tool that is not built is an error that says how to build
 * it, never a skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bareVersion } from '../scripts/real-tools-paths.js';
import { realTool, realToolSpecs, RealToolMissingError, type RealToolName } from './real-tools.ts';

const root = resolve(import.meta.dirname, '..');
const names = Object.keys(realToolSpecs()) as RealToolName[];

describe('real tools', () => {
  it('pins the nine programs the tests run', () => {
    expect(names.sort()).toEqual(
      ['actionlint', 'cosign', 'frizbee', 'pinact', 'ratchet', 'syft', 'tofu', 'trivy', 'zizmor'].sort(),
    );
  });

  it('pins trivy, syft and cosign at the defaults of tools.lock.json', () => {
    const lock = JSON.parse(readFileSync(join(root, 'packages/supply-chain/tools.lock.json'), 'utf8')) as {
      tools: Record<string, { version: string }>;
    };
    const specs = realToolSpecs();
    for (const name of ['trivy', 'syft', 'cosign']) {
      expect(bareVersion(specs[name]!.version), name).toBe(lock.tools[name]!.version);
    }
  });

  it.each(names)('%s is built and prints its pinned version', (name) => {
    const tool = realTool(name);
    expect(tool.path.startsWith(root), 'the cache is outside the repository').toBe(false);
    const r = spawnSync(tool.path, tool.versionArgs, { encoding: 'utf8', timeout: 20_000 });
    expect(r.error).toBeUndefined();
    expect(r.status, `${name} ${tool.versionArgs.join(' ')}: ${r.stderr}`).toBe(0);
    const version = bareVersion(tool.version).replaceAll('.', '\\.');
    expect(`${r.stdout}${r.stderr}`).toMatch(new RegExp(`(^|[^0-9.])v?${version}($|[^0-9.])`, 'm'));
  });

  describe('when the cache folder holds nothing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'slipway-tools-'));
    afterAll(() => rmSync(empty, { recursive: true, force: true }));

    it('realTool names the tool, the path and the command that builds it', () => {
      const call = () => realTool('trivy', { ...process.env, SLIPWAY_TOOLS_DIR: empty });
      expect(call).toThrow(RealToolMissingError);
      expect(call).toThrow(
        `trivy v0.74.0 is not built at ${join(empty, 'trivy', 'v0.74.0', 'bin', 'trivy')}`,
      );
      expect(call).toThrow('node scripts/real-tools.js trivy');
    });
  });

  it('scripts/real-tools.js builds nothing that its cache holds and prints every tool with its version', () => {
    const cache = mkdtempSync(join(tmpdir(), 'slipway-tools-'));
    try {
      const specs = realToolSpecs();
      for (const [name, spec] of Object.entries(specs)) {
        mkdirSync(join(cache, name, spec.version, 'bin'), { recursive: true });
        writeFileSync(join(cache, name, spec.version, 'bin', name), '');
        writeFileSync(join(cache, name, spec.version, 'version.txt'), `${name} says ${spec.version}\n`);
      }
      const r = spawnSync(process.execPath, [join(root, 'scripts', 'real-tools.js')], {
        encoding: 'utf8',
        env: { ...process.env, SLIPWAY_TOOLS_DIR: cache, PATH: '' },
        timeout: 20_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).not.toContain('building');
      for (const [name, spec] of Object.entries(specs)) {
        expect(r.stdout).toMatch(
          new RegExp(`^${name} +${spec.version} +${name} says ${spec.version} +cached$`, 'm'),
        );
      }
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('a failed build leaves no version folder and removes what an interrupted build left', () => {
    const cache = mkdtempSync(join(tmpdir(), 'slipway-tools-'));
    try {
      const file = join(cache, 'versions.json');
      writeFileSync(
        file,
        JSON.stringify({ goToolchain: 'go1.27.3', tools: { odd: { version: 'v1.0.0', versionArgs: [] } } }),
      );
      // what a build killed mid-way leaves: its temporary folder, named after a process that is gone
      mkdirSync(join(cache, 'odd', 'v1.0.0.tmp-2147483646', 'bin'), { recursive: true });
      const r = spawnSync(process.execPath, [join(root, 'scripts', 'real-tools.js')], {
        encoding: 'utf8',
        env: { ...process.env, SLIPWAY_TOOLS_DIR: cache, SLIPWAY_REAL_TOOLS_FILE: file },
        timeout: 20_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(
        'real-tools: odd v1.0.0: scripts/real-tools.json names neither a Go module nor a PyPI project',
      );
      expect(r.stderr).toContain(`(build log: ${join(cache, 'odd', 'build-v1.0.0.log')})`);
      expect(readdirSync(join(cache, 'odd')).sort()).toEqual(['build-v1.0.0.log']);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('scripts/real-tools.js refuses a tool it does not know, naming the ones it has', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'real-tools.js'), 'tivy'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("unknown tool 'tivy'; scripts/real-tools.json has: trivy, syft, cosign");
  });
});
