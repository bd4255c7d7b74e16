import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatFileBatch } from './cat-file-batch.ts';

function repoWithBlob(text: string): { gitDir: string; oid: string } {
  const gitDir = join(mkdtempSync(join(tmpdir(), 'cat-file-')), 'repo.git');
  execFileSync('git', ['init', '-q', '--bare', gitDir]);
  const oid = execFileSync('git', [`--git-dir=${gitDir}`, 'hash-object', '-w', '--stdin'], { input: text })
    .toString()
    .trim();
  return { gitDir, oid };
}

describe('CatFileBatch', () => {
  it('reads objects, and null for a missing one', async () => {
    const { gitDir, oid } = repoWithBlob('hello\n');
    const batch = new CatFileBatch(gitDir, process.env);
    expect(await batch.read(oid)).toEqual({ type: 'blob', content: Buffer.from('hello\n') });
    expect(await batch.read('0'.repeat(40))).toBeNull();
    batch.close();
  });

  it('a read right after a close gets a new process, which the old one exiting does not fail', async () => {
    const { gitDir, oid } = repoWithBlob('again\n');
    const batch = new CatFileBatch(gitDir, process.env);
    await batch.read(oid);
    for (let i = 0; i < 20; i++) {
      batch.close(); // as the idle timer does
      expect(await batch.read(oid)).toEqual({ type: 'blob', content: Buffer.from('again\n') });
    }
    batch.close();
  });

  it('rejects what is still pending when closed', async () => {
    const { gitDir, oid } = repoWithBlob('late\n');
    const batch = new CatFileBatch(gitDir, process.env);
    const pending = batch.read(oid);
    batch.close();
    await expect(pending).rejects.toThrow('git cat-file --batch closed');
  });
});
