import { describe, expect, it } from 'vitest';
import { changeList, changeTable, markdownCode, markdownText } from './markdown-text.ts';
import type { ValueChange } from './plan.ts';

const hostile: ValueChange = {
  file: 'apps/<!--web/kustomization.yaml',
  line: 4,
  target: 'images[web|x].newTag',
  from: 'v1` <!-- hide',
  to: 'v2\n# heading\n<details>',
  image: 'web',
};
const plain: ValueChange = {
  file: 'apps/api/kustomization.yaml',
  line: 9,
  target: 'images[api].newTag',
  from: '1.0',
  to: undefined,
  image: 'api',
};

describe('outside text in Markdown', () => {
  it('escapes HTML, backticks and pipes and keeps text on one line', () => {
    expect(markdownText('a <!-- b --> & `c` | d\r\ne\nf')).toBe(
      'a &lt;!-- b --&gt; &amp; &#96;c&#96; &#124; d e f',
    );
    expect(markdownText('ghcr.io/acme/web to 1.4.2')).toBe('ghcr.io/acme/web to 1.4.2');
  });

  it('puts values in code spans that a backtick run inside cannot close', () => {
    expect(markdownCode('1.4.2')).toBe('`1.4.2`');
    expect(markdownCode('v1` <!-- x')).toBe('`` v1` <!-- x ``');
    expect(markdownCode('a```b`')).toBe('```` a```b` ````');
    expect(markdownCode('a\nb')).toBe('`a b`');
  });

  it('renders the change table with one row per change and nothing that opens HTML', () => {
    const table = changeTable([hostile, plain]);
    expect(table.split('\n')).toEqual([
      '| file | value | old | new |',
      '| --- | --- | --- | --- |',
      '| apps/&lt;!--web/kustomization.yaml:4 | images[web&#124;x].newTag | `` v1` <!-- hide `` | `v2 # heading <details>` |',
      '| apps/api/kustomization.yaml:9 | images[api].newTag | `1.0` | (removed) |',
    ]);
    // outside the code spans no `<` is left: no comment, no HTML block can start
    expect(table.replace('`` v1` <!-- hide ``', '').replace('`v2 # heading <details>`', '')).not.toContain(
      '<',
    );
  });

  it('lists changes one line each: plain for a commit message, escaped for Markdown', () => {
    expect(changeList([hostile, plain]).split('\n')).toEqual([
      '- apps/<!--web/kustomization.yaml: images[web|x].newTag v1` <!-- hide -> v2 # heading <details>',
      '- apps/api/kustomization.yaml: images[api].newTag 1.0 -> (removed)',
    ]);
    expect(changeList([hostile], markdownText)).toBe(
      '- apps/&lt;!--web/kustomization.yaml: images[web&#124;x].newTag v1&#96; &lt;!-- hide -&gt; v2 # heading &lt;details&gt;',
    );
  });
});
