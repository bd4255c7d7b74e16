// Node.js versions, checked against what npm ci installs (the lock file) and what ships (the packages
// each bundle's notices name): development needs the root package's engines (vitest sets that floor);
// every bundled package must run on the oldest Node.js the CLI package promises, and on node20 runners.
// content-type 3 (node >=22) in every bundle, with npm ci warning about it, is what this guards against.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JS build script, no declarations
import { noticeIds } from '../../scripts/bundle-notices.js';

const root = join(import.meta.dirname, '..', '..');
const readJson = <T>(...path: string[]) => JSON.parse(readFileSync(join(root, ...path), 'utf8')) as T;
type Engines = { engines: { node: string } };
type LockEntry = { version?: string; engines?: { node?: string } | string[] };
const lock = readJson<{ packages: Record<string, LockEntry> }>('package-lock.json');
const nodeRange = (entry: LockEntry) => (Array.isArray(entry.engines) ? undefined : entry.engines?.node);
const oldest = (range: string) => semver.minVersion(range)!.version;

describe('engines', () => {
  it('every locked package accepts the oldest Node.js development supports (npm ci warns about none)', () => {
    const floor = oldest(readJson<Engines>('package.json').engines.node);
    const refusing = Object.entries(lock.packages)
      .filter(
        ([path, entry]) => path !== '' && nodeRange(entry) && !semver.satisfies(floor, nodeRange(entry)!),
      )
      .map(([path, entry]) => `${path}@${entry.version} (node ${nodeRange(entry)})`);
    expect(refusing).toEqual([]);
  });

  it('every package inside a bundle accepts the oldest Node.js the CLI package promises', () => {
    const floor = oldest(readJson<Engines>('packages', 'cli', 'package.json').engines.node);
    expect(floor).toBe('20.17.0');
    const byId = new Map(
      Object.entries(lock.packages).map(([path, entry]) => [
        `${path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version}`,
        entry,
      ]),
    );
    const refusing: string[] = [];
    let checked = 0;
    for (const bundle of readdirSync(join(root, 'dist'))) {
      for (const id of noticeIds(
        readFileSync(join(root, 'dist', bundle, 'licenses.txt'), 'utf8'),
      ) as string[]) {
        const entry = byId.get(id);
        expect(entry, `${id} (dist/${bundle}) is in package-lock.json`).toBeDefined();
        checked++;
        const range = nodeRange(entry!);
        if (range && !semver.satisfies(floor, range)) refusing.push(`dist/${bundle}: ${id} (node ${range})`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(refusing).toEqual([]);
  });
});
