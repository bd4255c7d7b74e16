/**
 * The fast path against the full `yaml` parser on real files: every workflow
 * of the shared corpus (sigstore/cosign's, read from ../shared/corpus), the
 * pin-check test fixtures and this repository's own workflows and actions give
 * identical sites (kinds, values, lines, columns, offsets, comments) and
 * problems either way, and the real workflows take the fast path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanFile, scanFileFast, scanFileFully } from './scan.ts';
import { SHARED_CORPUS_DIR } from '../../../test/shared-corpus.ts';

const repo = resolve(import.meta.dirname, '../../..');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe('fast path on real files', () => {
  const corpus = yamlFiles(join(SHARED_CORPUS_DIR, 'cosign-workflows'));

  it('gives the full parser results on every corpus workflow, all through the fast path', () => {
    expect(corpus.length).toBe(17);
    let sites = 0;
    for (const path of corpus) {
      const file = `.github/workflows/${relative(join(SHARED_CORPUS_DIR, 'cosign-workflows'), path)}`;
      const text = readFileSync(path, 'utf8');
      const full = scanFileFully(file, text);
      expect(scanFileFast(file, text), file).toEqual(full);
      sites += full.sites.length;
    }
    expect(sites).toBeGreaterThan(50);
  });

  it('gives the full parser results on the fixtures and on our own workflows and actions', () => {
    const files = [
      ...yamlFiles(join(repo, 'test', 'fixtures', 'pin-check')),
      ...yamlFiles(join(repo, '.github', 'workflows')),
      ...readdirSync(join(repo, 'actions'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => join(repo, 'actions', e.name, 'action.yml')),
    ];
    expect(files.length).toBeGreaterThan(20);
    let fast = 0;
    for (const path of files) {
      const file = relative(repo, path);
      const text = readFileSync(path, 'utf8');
      expect(scanFile(file, text), file).toEqual(scanFileFully(file, text));
      if (scanFileFast(file, text)) fast++;
    }
    expect(fast).toBeGreaterThan(files.length / 2);
  });
});
