import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { artifactPathProblem, artifactZipEntries } from './artifact-files.ts';

const root = mkdtempSync(join(tmpdir(), 'artifact-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'out', 'linux', 'amd64'), { recursive: true });
writeFileSync(join(root, 'out', 'a.json'), 'a');
writeFileSync(join(root, 'out', 'linux', 'amd64', 'b.json'), 'b');
writeFileSync(join(root, 'outside.json'), 'x');
const modified = new Date('2026-01-02T03:04:06Z');
utimesSync(join(root, 'out', 'a.json'), modified, modified);

describe('artifactZipEntries', () => {
  it('names each file by its forward-slash path under the root, with its bytes and mtime, once', async () => {
    const a = join(root, 'out', 'a.json');
    const b = join(root, 'out', 'linux', 'amd64', 'b.json');
    const entries = await artifactZipEntries([b, a, join(root, 'out', '.', 'a.json')], join(root, 'out'));
    expect(entries.map((e) => [e.name, e.data.toString()])).toEqual([
      ['linux/amd64/b.json', 'b'],
      ['a.json', 'a'],
    ]);
    expect(entries[1]!.modified).toEqual(modified);
  });

  it.each([
    [
      () => [join(root, 'outside.json')],
      () => `${join(root, 'outside.json')} is not inside the artifact's root directory ${join(root, 'out')}.`,
    ],
    [
      () => [join(root, 'out')],
      () => `${join(root, 'out')} is not inside the artifact's root directory ${join(root, 'out')}.`,
    ],
    [
      () => [join(root, 'out', 'linux')],
      () => `Cannot upload ${join(root, 'out', 'linux')}: it does not exist or is not a regular file.`,
    ],
    [
      () => [join(root, 'out', 'gone.json')],
      () => `Cannot upload ${join(root, 'out', 'gone.json')}: it does not exist or is not a regular file.`,
    ],
  ])('refuses %#', async (files, message) => {
    const refusal = artifactZipEntries(files(), join(root, 'out'));
    await expect(refusal).rejects.toBeInstanceOf(UserError);
    await expect(refusal).rejects.toThrow(message());
  });

  it('refuses a root directory that is not one', async () => {
    await expect(artifactZipEntries([], join(root, 'out', 'a.json'))).rejects.toThrow(
      `The artifact's root directory ${join(root, 'out', 'a.json')} does not exist or is not a directory.`,
    );
  });

  it('follows a symbolic link to a file, as an upload of its content', async () => {
    symlinkSync(join(root, 'outside.json'), join(root, 'out', 'link.json'));
    const [entry] = await artifactZipEntries([join(root, 'out', 'link.json')], join(root, 'out'));
    expect([entry!.name, entry!.data.toString()]).toEqual(['link.json', 'x']);
  });

  it('refuses a path the service would refuse, before reading it', async () => {
    const odd = join(root, 'out', 'report:v1.json');
    writeFileSync(odd, '{}');
    await expect(artifactZipEntries([odd], join(root, 'out'))).rejects.toThrow(
      `Cannot upload ${odd}: its path in the artifact, report:v1.json, contains a colon, which artifact paths may not contain.`,
    );
  });
});

describe('artifactPathProblem', () => {
  it.each([
    ['sbom/linux amd64/é.json', undefined],
    ['a"b', 'contains a double quote, which artifact paths may not contain'],
    ['a<b', 'contains a less-than sign, which artifact paths may not contain'],
    ['a>b', 'contains a greater-than sign, which artifact paths may not contain'],
    ['a|b', 'contains a vertical bar, which artifact paths may not contain'],
    ['a*b', 'contains an asterisk, which artifact paths may not contain'],
    ['a?b', 'contains a question mark, which artifact paths may not contain'],
    ['a\rb', 'contains a carriage return, which artifact paths may not contain'],
    ['a\nb', 'contains a line feed, which artifact paths may not contain'],
  ])('%j', (name, problem) => {
    expect(artifactPathProblem(name)).toBe(problem);
  });
});
