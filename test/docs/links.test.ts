import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { brokenLinks, markdownFiles } from './link-check.ts';
import { anchors, fencedBlocks, githubSlug, markdownLinks } from './markdown.ts';

const root = resolve(import.meta.dirname, '../..');

describe('Markdown links in this repository', () => {
  it('point at files and headings that exist', () => {
    const files = markdownFiles(root);
    expect(files.length).toBeGreaterThan(15);
    expect(brokenLinks(root, files)).toEqual([]);
  });
});

describe('githubSlug', () => {
  it('gives the anchors GitHub gives these headings', () => {
    expect(githubSlug('1. Choose the Slipway commit to pin')).toBe('1-choose-the-slipway-commit-to-pin');
    expect(githubSlug("3. Let GitHub's OIDC token into your cloud (ECR, Artifact Registry, ACR only)")).toBe(
      '3-let-githubs-oidc-token-into-your-cloud-ecr-artifact-registry-acr-only',
    );
    expect(githubSlug('Which repository `OWNER/slipway` is')).toBe('which-repository-ownerslipway-is');
    expect(githubSlug('Severity, `fail-on` and exit semantics')).toBe('severity-fail-on-and-exit-semantics');
    expect(githubSlug('`build-sign-push.yml`')).toBe('build-sign-pushyml');
    expect(githubSlug('See [the docs](x.md) now')).toBe('see-the-docs-now');
    expect(githubSlug('snake_case stays')).toBe('snake_case-stays');
  });
});

describe('markdownLinks and anchors', () => {
  const text = [
    '# Title',
    '',
    'See [a](a.md#part), ![img](img/x.png "Title") and `[not](code.md)`.',
    '',
    '```md',
    '[inside](fence.md)',
    '# not a heading',
    '```',
    '',
    '## Part',
    '## Part',
    '<a id="custom"></a>',
    '[ref]: ./ref.md',
    'An [angle](<with space.md>) link.',
  ].join('\n');

  it('finds inline, image, angle and reference links outside code, with their lines', () => {
    expect(markdownLinks(text)).toEqual([
      { target: 'a.md#part', line: 3 },
      { target: 'img/x.png', line: 3 },
      { target: './ref.md', line: 13 },
      { target: 'with space.md', line: 14 },
    ]);
  });

  it('numbers repeated headings, skips headings in code, and takes explicit ids', () => {
    expect([...anchors(text)]).toEqual(['title', 'part', 'part-1', 'custom']);
  });

  it('reads fenced blocks with their language, first line and list indentation removed', () => {
    const list = '1. Step\n\n   ```yaml\n   a: 1\n   b:\n     c: 2\n   ```\n';
    expect(fencedBlocks(text)).toEqual([
      { lang: 'md', body: '[inside](fence.md)\n# not a heading', line: 6 },
    ]);
    expect(fencedBlocks(list)).toEqual([{ lang: 'yaml', body: 'a: 1\nb:\n  c: 2', line: 4 }]);
  });
});

describe('brokenLinks on a scratch tree', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a missing file, a missing anchor (in this file or another) and accepts the rest', () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-links-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'guide.md'), '# Guide\n\n## Set up\n');
    writeFileSync(
      join(dir, 'README.md'),
      [
        '# Readme',
        '[ok](docs/guide.md#set-up) [dir](docs) [web](https://example.com/x.md) [top](#readme)',
        '[gone](docs/missing.md) [bad anchor](docs/guide.md#setup) [here](#nowhere)',
        '[encoded](docs/guide.md#set%2Dup)',
      ].join('\n'),
    );
    expect(brokenLinks(dir, markdownFiles(dir))).toEqual([
      'README.md:3: docs/missing.md (no such file)',
      'README.md:3: docs/guide.md#setup (no heading #setup in docs/guide.md)',
      'README.md:3: #nowhere (no heading #nowhere in README.md)',
    ]);
  });
});
