import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { toSarif } from './report-sarif.ts';
import { toJson, toText } from './report-text.ts';
import type { PinnedRelease } from './pinned-releases.ts';
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

  it('lists online release information after the findings, never counted as a finding', () => {
    const release = (line: number, tag: string, state: PinnedRelease['release']): PinnedRelease => ({
      file: '.github/workflows/ci.yml',
      line,
      column: 15,
      reference: `actions/checkout@${tag}`,
      repository: 'actions/checkout',
      tag,
      release: state,
    });
    const releases = [
      release(5, 'v4.1.0', 'immutable'),
      release(6, 'v4.0.0', 'mutable'),
      release(7, 'v4', 'none'),
      release(8, 'v3.0.0', 'unknown'),
    ];
    expect(toText([], 1, releases)).toBe(
      [
        'Releases (information only: an immutable release does not pin a reference):',
        '  .github/workflows/ci.yml:5:15  actions/checkout v4.1.0: immutable release',
        '  .github/workflows/ci.yml:6:15  actions/checkout v4.0.0: release, not immutable',
        '  .github/workflows/ci.yml:8:15  actions/checkout v3.0.0: release not known (the lookup failed)',
        '',
        'No findings in 1 file.',
        '',
      ].join('\n'),
    );
    expect(toText([], 1, [release(7, 'v4', 'none')])).toBe('No findings in 1 file.\n');
    const report = JSON.parse(toJson([], 1, releases));
    expect(report.totals).toEqual({ files: 1, error: 0, warning: 0, note: 0 });
    expect(report.releases).toEqual(releases);
    expect(JSON.parse(toJson([], 1)).releases).toBeUndefined();
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

  it('sarif names the checked root as %SRCROOT% when given one, as a file URI ending in /', () => {
    const run = (toSarif(findings, { version: '0.1.0', srcRoot: '/tmp/my repo' }) as { runs: object[] })
      .runs[0] as Record<string, unknown>;
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///tmp/my%20repo/' } });
    const without = (toSarif(findings, { version: '0.1.0' }) as { runs: object[] }).runs[0]!;
    expect(without).not.toHaveProperty('originalUriBaseIds');
  });

  it('sarif refuses a path outside the root instead of writing ../ under %SRCROOT%', () => {
    const outside = finding(
      'unpinned-action',
      { file: '../repo/.github/workflows/ci.yml', line: 1, column: 1 },
      'a/b@v1',
      'x',
    );
    expect(() => toSarif([outside], { version: '0.1.0' })).toThrow(
      '../repo/.github/workflows/ci.yml lies outside the checked root, so SARIF cannot name it relative to %SRCROOT%',
    );
  });

  it('sarif satisfies the SARIF 2.1.0 requirements code scanning checks', () => {
    // Required properties and value sets from the SARIF 2.1.0 specification (OASIS), sections 3.13-3.52.
    const message = {
      type: 'object',
      required: ['text'],
      properties: { text: { type: 'string', minLength: 1 } },
    };
    const schema = {
      type: 'object',
      required: ['version', 'runs'],
      properties: {
        version: { const: '2.1.0' },
        $schema: { type: 'string', format: 'uri' },
        runs: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['tool', 'results'],
            properties: {
              tool: {
                type: 'object',
                required: ['driver'],
                properties: {
                  driver: {
                    type: 'object',
                    required: ['name', 'rules'],
                    properties: {
                      name: { type: 'string', minLength: 1 },
                      rules: {
                        type: 'array',
                        uniqueItems: true,
                        items: {
                          type: 'object',
                          required: [
                            'id',
                            'shortDescription',
                            'fullDescription',
                            'help',
                            'defaultConfiguration',
                          ],
                          properties: {
                            id: { type: 'string' },
                            shortDescription: message,
                            fullDescription: message,
                            help: message,
                            defaultConfiguration: {
                              type: 'object',
                              properties: { level: { enum: ['none', 'note', 'warning', 'error'] } },
                            },
                            properties: {
                              type: 'object',
                              properties: {
                                'security-severity': { type: 'string', pattern: '^\\d+(\\.\\d+)?$' },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
              results: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['ruleId', 'ruleIndex', 'level', 'message', 'locations'],
                  properties: {
                    level: { enum: ['none', 'note', 'warning', 'error'] },
                    message,
                    ruleIndex: { type: 'integer', minimum: 0 },
                    locations: {
                      type: 'array',
                      minItems: 1,
                      items: {
                        type: 'object',
                        required: ['physicalLocation'],
                        properties: {
                          physicalLocation: {
                            type: 'object',
                            required: ['artifactLocation', 'region'],
                            properties: {
                              artifactLocation: {
                                type: 'object',
                                required: ['uri'],
                                properties: { uri: { type: 'string', pattern: '^[^/]' } },
                              },
                              region: {
                                type: 'object',
                                required: ['startLine'],
                                properties: {
                                  startLine: { type: 'integer', minimum: 1 },
                                  startColumn: { type: 'integer', minimum: 1 },
                                },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(schema);
    const sarif = toSarif(findings, { version: '0.1.0' }) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: { ruleId: string; ruleIndex: number }[];
      }[];
    };
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const run = sarif.runs[0]!;
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
  });
});
