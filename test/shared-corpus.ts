/**
 * The real workflow corpus for pin-check (sigstore/cosign's workflows, see its
 * README) lives outside the repository, in the workplace's shared/corpus
 * folder; tests and the benchmark read it from there, never copy it in.
 * Looked up in order: $SLIPWAY_SHARED_CORPUS, <repo>/../shared/corpus,
 * /work/shared/corpus. A missing folder is an error, never a skipped test.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const candidates = [
  process.env.SLIPWAY_SHARED_CORPUS,
  resolve(import.meta.dirname, '../../shared/corpus'),
  '/work/shared/corpus',
].filter((p): p is string => typeof p === 'string' && p !== '');

export const SHARED_CORPUS_DIR: string = (() => {
  const found = candidates.find((dir) => existsSync(join(dir, 'make-pin-corpus.sh')));
  if (!found) {
    throw new Error(
      `shared corpus not found (looked in ${candidates.join(', ')}); set SLIPWAY_SHARED_CORPUS to the folder holding make-pin-corpus.sh`,
    );
  }
  return found;
})();
