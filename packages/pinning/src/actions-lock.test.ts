import { describe, expect, it } from 'vitest';
import { parseActionsLock } from './actions-lock.ts';

const messages = (text: string) =>
  parseActionsLock(text).findings.map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.message}`);

const entry = (commit: string) =>
  `version: 'v0.0.2'\ndependencies:\n  'a/b@v1':\n    ref: 'v1'\n    commit: '${commit}'\n    owner_id: 1\n    repo_id: 2\n`;

describe('parseActionsLock', () => {
  it('reads sha1 and sha256 commits, ids and workflow lists', () => {
    const lock = parseActionsLock(
      `${entry('sha256-' + 'b'.repeat(64))}workflows:\n  '.github/workflows/ci.yml':\n    - 'A/B@v1'\n`,
    );
    expect(lock.findings).toEqual([]);
    expect(lock.dependencies.get('a/b@v1')).toEqual({
      key: 'a/b@v1',
      owner: 'a',
      repo: 'b',
      keyRef: 'v1',
      ref: 'v1',
      commit: { algorithm: 'sha256', hex: 'b'.repeat(64) },
      ownerId: 1,
      repoId: 2,
      at: { line: 3, column: 3 },
    });
    expect(lock.workflows.get('.github/workflows/ci.yml')?.uses).toEqual([
      { key: 'A/B@v1', at: { line: 10, column: 7 } },
    ]);
    expect(parseActionsLock(entry('sha1-' + 'a'.repeat(40))).findings).toEqual([]);
  });

  it.each([
    ['sha1-' + 'a'.repeat(39)],
    ['sha256-' + 'a'.repeat(40)],
    ['sha1:' + 'a'.repeat(40)],
    ['a'.repeat(40)],
  ])('refuses commit %s', (commit) => {
    expect(messages(entry(commit))).toEqual([
      `5:13 lockfile-invalid .github/workflows/actions.lock: the entry 'a/b@v1' has commit '${commit}'; expected sha1-<40 lowercase hex> or sha256-<64 lowercase hex>`,
    ]);
  });

  it('a SHA key must lock that commit', () => {
    const sha = 'c'.repeat(40);
    expect(
      messages(
        `version: 'v0.0.2'\ndependencies:\n  'a/b@${sha}':\n    ref: 'v1'\n    commit: 'sha1-${'d'.repeat(40)}'\n    owner_id: 1\n    repo_id: 2\n`,
      ),
    ).toEqual([
      `5:13 lockfile-invalid .github/workflows/actions.lock: the entry 'a/b@${sha}' locks commit ${'d'.repeat(40)}, not the ${sha} its key names`,
    ]);
  });

  it('one owner has one owner_id and one repository one repo_id', () => {
    const lock = (key: string, ownerId: number, repoId: number) =>
      `  '${key}':\n    ref: '${key.split('@')[1]}'\n    commit: 'sha1-${'a'.repeat(40)}'\n    owner_id: ${ownerId}\n    repo_id: ${repoId}\n`;
    expect(
      messages(
        `version: 'v0.0.2'\ndependencies:\n${lock('a/b@v1', 1, 2)}${lock('A/c@v1', 3, 4)}${lock('a/B@v2', 1, 5)}${lock('x/y@v1', 3, 6)}`,
      ),
    ).toEqual([
      "13:3 lockfile-invalid .github/workflows/actions.lock: the entry 'a/B@v2' has repo_id 5, but 'a/b@v1' has 2 for the same repository",
      "8:3 lockfile-invalid .github/workflows/actions.lock: the entry 'A/c@v1' has owner_id 3, but 'a/b@v1' has 1 for the same owner",
    ]);
  });

  it('names an unknown schema version, YAML errors and bad shapes', () => {
    expect(messages("version: 'v0.1.0'\n")).toEqual([
      "1:10 lockfile-invalid .github/workflows/actions.lock: schema version 'v0.1.0'; pin-check reads 'v0.0.2', so its entries are checked as that version",
    ]);
    expect(messages('version: [\n')[0]).toMatch(
      /^2:1 lockfile-invalid \.github\/workflows\/actions\.lock: not valid YAML: /,
    );
    expect(messages("version: 'v0.0.2'\ndependencies: []\nworkflows: x\n")).toEqual([
      "2:15 lockfile-invalid .github/workflows/actions.lock: 'dependencies' must be a mapping of owner/repo@ref to entries",
      "3:12 lockfile-invalid .github/workflows/actions.lock: 'workflows' must map workflow paths to lists of owner/repo@ref",
    ]);
    expect(messages("version: 'v0.0.2'\ndependencies:\n  'not-a-key':\n    ref: x\n")).toEqual([
      "3:3 lockfile-invalid .github/workflows/actions.lock: the dependency key 'not-a-key' is not owner/repo@ref",
    ]);
  });
});
