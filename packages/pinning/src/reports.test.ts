import { describe, expect, it } from 'vitest';
import { toSarif } from './report-sarif.ts';
import { toJson, toText } from './report-text.ts';
import { finding, RULE_IDS, type Finding } from './rules.ts';

const findings: Finding[] = [
  finding(
    'unpinned-action',
    { file: '.github/workflows/ci.yml', line: 7, column: 15 },
    'actions/checkout@v4',
    "uses 'actions/checkout@v4' is not pinned",
  ),
  {
    ...finding(
      'unresolvable-reference',
      { file: '.github/workflows/ci.yml', line: 12, column: 9 },
      '${{ x }}',
      'computed',
    ),
  },
  finding('unpinned-image', { file: 'sub dir/action.yml', line: 3, column: 11 }, 'docker://a:1', 'image'),
];

describe('reports', () => {
  it('text groups findings by file with line:column, severity and rule', () => {
    expect(toText(findings, 4)).toBe(
      [
        '.github/workflows/ci.yml',
        "  7:15  error    uses 'actions/checkout@v4' is not pinned  [unpinned-action]",
        '  12:9  warning  computed  [unresolvable-reference]',
        '',
        'sub dir/action.yml',
        '  3:11  error    image  [unpinned-image]',
        '',
        '3 findings (2 errors, 1 warning, 0 notes) in 2 files; 4 checked.',
        '',
      ].join('\n'),
    );
    expect(toText([], 1)).toBe('No findings in 1 file.\n');
  });

  it('json lists every field of every finding and the totals', () => {
    const report = JSON.parse(toJson(findings, 4));
    expect(report.totals).toEqual({ files: 4, error: 2, warning: 1, note: 0 });
    expect(report.findings[0]).toEqual({
      file: '.github/workflows/ci.yml',
      line: 7,
      column: 15,
      ruleId: 'unpinned-action',
      severity: 'error',
      reference: 'actions/checkout@v4',
      message: "uses 'actions/checkout@v4' is not pinned",
    });
  });

  it('sarif 2.1.0 carries rule metadata, levels, regions and relative URIs', () => {
    const sarif = toSarif(findings, { version: '0.1.0' }) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } };
        results: unknown[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULE_IDS);
    expect(run.results[2]).toMatchObject({
      ruleId: 'unpinned-image',
      ruleIndex: RULE_IDS.indexOf('unpinned-image'),
      level: 'error',
      message: { text: 'image' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'sub%20dir/action.yml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 11 },
          },
        },
      ],
    });
    expect(run.results[1]).toMatchObject({ level: 'warning' });
  });
});
