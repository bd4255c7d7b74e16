/**
 * The real workflow corpus for pin-check (sigstore/cosign's workflows, see its
 * README) lives outside the repository, in the workplace's shared/corpus
 * folder; tests and the benchmark read it from there, never copy it in.
 * Looked up in order: $SLIPWAY_SHARED_CORPUS, <repo>/../shared/corpus,
 * /work/shared/corpus. A missing folder is an error, never a skipped test.
 */
import { sharedFolder } from './shared-fixtures.ts';

export const SHARED_CORPUS_DIR: string = sharedFolder(
  'corpus',
  'SLIPWAY_SHARED_CORPUS',
  'make-pin-corpus.sh',
);
