import { describe, expect, it } from 'vitest';
import { scanSummaryMarkdown } from '../trivy/scan-summary.ts';
import type { Finding } from '../trivy/trivy-report.ts';
import { sbomSummaryMarkdown } from '../syft/generate-sbom.ts';
import { codeSpan, inertText } from './scanned-text.ts';

/** The cells of each table row (split on unescaped `|`), for rows that start with `| `. */
const rows = (markdown: string) =>
  markdown
    .split('\n')
    .filter((l) => l.startsWith('| '))
    .map((l) =>
      l
        .slice(2, -2)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );

const vuln = (id: string, packageName: string, title: string): Finding => ({
  kind: 'vulnerability',
  id,
  severity: 'HIGH',
  target: 'alpine',
  title,
  packageName,
  fixedVersion: '2.0',
  score: 7.5,
});

describe('scanned text in job summaries', () => {
  it('inertText turns HTML, links, code spans and line breaks into plain text', () => {
    expect(inertText('a <!-- b')).toBe('a &lt;!-- b');
    expect(inertText('[x](https://e.example) ![i](y) `c` "q" & <img src=x>')).toBe(
      '&#91;x&#93;(https://e.example) !&#91;i&#93;(y) &#96;c&#96; &quot;q&quot; &amp; &lt;img src=x&gt;',
    );
    expect(inertText('one\r\ntwo\u0000three\tfour')).toBe('one two three four');
    expect(inertText('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('codeSpan holds backticks', () => {
    expect(codeSpan('alpine:3')).toBe('`alpine:3`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x')).toBe('`` `x ``');
  });

  it('a package name with an unclosed <!-- and a title with | and a line break hide no row of the trivy summary', () => {
    const markdown = scanSummaryMarkdown({
      target: 'ghcr.io/o/app:1',
      scanType: 'image',
      findings: [
        vuln('CVE-2026-0001', 'evil<!--', 'first | second\n<details><summary>x</summary>'),
        vuln('CVE-2026-0002', 'libfine', 'still visible'),
      ],
      failOn: 'none',
      sarifFile: 'r.sarif',
    });
    expect(markdown).not.toContain('<!--');
    expect(markdown).not.toContain('<details>');
    const top = rows(markdown).filter((r) => r[0]!.startsWith('CVE-'));
    expect(top).toEqual([
      [
        'CVE-2026-0001',
        'HIGH',
        '7.5',
        'evil&lt;!--',
        '2.0',
        'first \\| second &lt;details&gt;&lt;summary&gt;x&lt;/summary&gt;',
      ],
      ['CVE-2026-0002', 'HIGH', '7.5', 'libfine', '2.0', 'still visible'],
    ]);
  });

  it('a package type from an SBOM cannot open a comment in the sbom summary', () => {
    const markdown = sbomSummaryMarkdown('alpine:3', {
      documents: [
        {
          format: 'spdx-json',
          path: '/w/sbom.spdx.json',
          summary: { format: 'spdx-json', packages: 2, byType: { '<!--': 1, deb: 1 } },
        },
      ],
    });
    expect(markdown).not.toContain('<!--');
    expect(rows(markdown).slice(-2)).toEqual([
      ['&lt;!--', '1'],
      ['deb', '1'],
    ]);
  });
});
