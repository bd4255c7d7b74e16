/**
 * Test support: the release archives tests pack around the real programs (tofu, syft, trivy: 60 to
 * 170 MB each) are packed once per `vitest run` and then shared by every test file that asks for the
 * same archive. Each packing cost 3 to 5 s of gzip, about 60 s of CPU per suite. The archive is a
 * gzip-compressed tar with the entries at its top level, owned by root, gzip level 1 (the level makes
 * no difference to what the tests check, and decompressing costs the same).
 *
 * The cache lives in the run's temporary folder (test/global-tmp.ts), so it goes with the run. An
 * archive is found again by its name and its entries: each file's path, size and modification time,
 * each text's content. It is written under a temporary name and renamed, so two files packing the
 * same archive at once both read a whole one.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** One file of the archive (a copy keeps its mode); `path` may name a subfolder (`contrib/sarif.tpl`). */
export type ArchiveEntry = { path: string; copyOf: string } | { path: string; text: string };

function identity(entry: ArchiveEntry): unknown {
  if ('text' in entry) return { path: entry.path, text: entry.text };
  const stat = statSync(entry.copyOf);
  const file = realpathSync(entry.copyOf);
  return { path: entry.path, file, size: stat.size, mtimeMs: stat.mtimeMs, mode: stat.mode };
}

/** The `.tar.gz` named `name` holding `entries`, packed on the first call of the run. */
export function packedTarGz(name: string, entries: ArchiveEntry[]): Buffer {
  const key = createHash('sha256')
    .update(JSON.stringify({ name, entries: entries.map(identity) }))
    .digest('hex')
    .slice(0, 24);
  const cacheDir = join(tmpdir(), 'packed-archives', key);
  const archive = join(cacheDir, name);
  if (existsSync(archive)) return readFileSync(archive);

  const work = mkdtempSync(join(tmpdir(), 'packing-'));
  try {
    const content = join(work, 'content');
    for (const entry of entries) {
      const target = join(content, entry.path);
      mkdirSync(dirname(target), { recursive: true });
      if ('text' in entry) writeFileSync(target, entry.text);
      else copyFileSync(entry.copyOf, target);
    }
    const top = [...new Set(entries.map((e) => e.path.split('/')[0]!))];
    const packed = join(work, name);
    execFileSync('tar', ['-I', 'gzip -1', '-cf', packed, '--owner=0', '--group=0', ...top], { cwd: content });
    mkdirSync(cacheDir, { recursive: true });
    renameSync(packed, archive);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return readFileSync(archive);
}
