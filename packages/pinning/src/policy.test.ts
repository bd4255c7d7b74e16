import { describe, expect, it } from 'vitest';
import { compilePolicy, mergePolicies, parsePolicy, parseSeverityFlag } from './policy.ts';
import { finding } from './rules.ts';

const at = { file: 'w.yml', line: 3, column: 5 };

describe('parsePolicy', () => {
  it('reads allow, severity and ignore', () => {
    const policy = parsePolicy(
      '# policy\nallow:\n  - actions/*\n  - my-org\n  - octo/tool\nseverity:\n  stale-pin: off\n  unresolvable-reference: error\nignore:\n  - .github/workflows/exp-*.yml\n',
      '.github/slipway-pin.yml',
    );
    expect(policy).toEqual({
      allow: ['actions/*', 'my-org', 'octo/tool'],
      severity: { 'stale-pin': 'off', 'unresolvable-reference': 'error' },
      ignore: ['.github/workflows/exp-*.yml'],
    });
  });

  it('accepts an empty file', () => {
    expect(parsePolicy('', 'p.yml')).toEqual({ allow: [], severity: {}, ignore: [] });
    expect(parsePolicy('# nothing yet\n', 'p.yml')).toEqual({ allow: [], severity: {}, ignore: [] });
  });

  it('names the file, line and accepted values in errors', () => {
    expect(() => parsePolicy('allow: [a]\nalow: [b]\n', 'p.yml')).toThrow(
      "p.yml:2:1: unknown key 'alow'. Expected one of: allow, severity, ignore, min-release-age",
    );
    expect(() => parsePolicy('severity:\n  unpinned: error\n', 'p.yml')).toThrow(
      "p.yml:2:3: unknown rule 'unpinned'. Rules: unpinned-action, unpinned-image",
    );
    expect(() => parsePolicy('severity:\n  stale-pin: fatal\n', 'p.yml')).toThrow(
      "p.yml:2:14: unknown severity 'fatal'. Expected one of: error, warning, note, off",
    );
    expect(() => parsePolicy('allow: actions/*\n', 'p.yml')).toThrow(
      "p.yml:1:8: 'allow' must be a list of strings",
    );
    expect(() => parsePolicy('allow: [\n', 'p.yml')).toThrow(/^p\.yml:2:1: not valid YAML/);
    expect(() => parseSeverityFlag('stale-pin')).toThrow("--severity: unknown severity ''");
  });

  it('points at the line of the offending item, and names an empty severity as empty', () => {
    expect(() => parsePolicy('allow:\n  - actions/*\n  - 5\n', 'p.yml')).toThrow(
      "p.yml:3:5: each item of 'allow' must be a non-empty string",
    );
    expect(() => parsePolicy('ignore: [a, {b: c}]\n', 'p.yml')).toThrow(
      "p.yml:1:13: each item of 'ignore' must be a non-empty string",
    );
    expect(() => parsePolicy('# rules\nseverity:\n  stale-pin:\n', 'p.yml')).toThrow(
      "p.yml:3:13: unknown severity ''. Expected one of: error, warning, note, off",
    );
    expect(() => parseSeverityFlag('stale-pin=loud', "has the item 'stale-pin=loud'")).toThrow(
      "has the item 'stale-pin=loud': unknown severity 'loud'",
    );
  });
});

describe('parsePolicy: min-release-age', () => {
  it('reads a duration with a unit; a later policy overrides it', () => {
    const file = parsePolicy('min-release-age: 7d\n', 'p.yml');
    expect(file.minReleaseAgeMs).toBe(7 * 86_400_000);
    expect(parsePolicy("min-release-age: '36h'\n", 'p.yml').minReleaseAgeMs).toBe(36 * 3_600_000);
    expect(mergePolicies(file, { allow: [], severity: {}, ignore: [] }).minReleaseAgeMs).toBe(7 * 86_400_000);
    expect(
      mergePolicies(file, { allow: [], severity: {}, ignore: [], minReleaseAgeMs: 0 }).minReleaseAgeMs,
    ).toBe(0);
  });

  it.each([
    ['min-release-age: 7\n', '1:18'],
    ['min-release-age: a week\n', '1:18'],
    ['min-release-age: [7d]\n', '1:18'],
    ['allow: []\nmin-release-age:\n', '2:17'],
  ])('refuses %j at file:line:col', (text, where) => {
    expect(() => parsePolicy(text, 'p.yml')).toThrow(
      `p.yml:${where}: 'min-release-age' must be a duration such as 7d or 72h (how old a tag must be before --update moves a pin to it)`,
    );
  });
});

describe('compilePolicy', () => {
  const policy = compilePolicy(
    mergePolicies(
      {
        allow: ['actions/*', 'My-Org', 'octo/tool', 'ghcr.io/acme/*'],
        severity: { 'stale-pin': 'off' },
        ignore: [],
      },
      {
        allow: [],
        severity: { 'unpinned-image': 'warning' },
        ignore: ['vendor/**', '.github/workflows/exp-*.yml'],
      },
    ),
  );

  it('matches owners, repositories and globs case-insensitively', () => {
    expect(
      [
        'actions/checkout',
        'Actions/Cache',
        'my-org/anything',
        'octo/tool',
        'octo/other',
        'actionsx/y',
        'ghcr.io/acme/app',
        'ghcr.io/other/app',
      ].map((s) => policy.allows(s)),
    ).toEqual([true, true, true, true, false, false, true, false]);
  });

  it('ignores paths by glob', () => {
    expect(
      ['vendor/a/action.yml', '.github/workflows/exp-1.yml', '.github/workflows/ci.yml'].map(policy.ignores),
    ).toEqual([true, true, false]);
  });

  it('applies severities and drops rules that are off', () => {
    expect(policy.apply(finding('stale-pin', at, 'o/r@x', 'm'))).toBeUndefined();
    expect(policy.apply(finding('unpinned-image', at, 'node:20', 'm'))?.severity).toBe('warning');
    expect(policy.apply(finding('unpinned-action', at, 'o/r@v1', 'm'))?.severity).toBe('error');
  });
});

describe('parsePolicy: allow exceptions (reason, expires)', () => {
  it('reads plain entries and exceptions side by side, with the position of each exception', () => {
    const policy = parsePolicy(
      'allow:\n  - actions/*\n  - match: octo/tool\n    reason: in-house\n    expires: 2027-01-31\n  - {match: my-org, reason: "ours"}\n',
      'p.yml',
    );
    expect(policy.allow).toEqual(['actions/*']);
    expect(policy.exceptions).toEqual([
      { match: 'octo/tool', reason: 'in-house', expires: '2027-01-31', file: 'p.yml', line: 3, column: 5 },
      { match: 'my-org', reason: 'ours', file: 'p.yml', line: 6, column: 5 },
    ]);
  });

  it.each([
    ['allow:\n  - match: octo/tool\n', "p.yml:2:5: the allow exception for 'octo/tool' needs a 'reason'"],
    [
      'allow:\n  - reason: why\n',
      "p.yml:2:5: an allow exception needs 'match' (owner, owner/repo, image or glob)",
    ],
    [
      'allow:\n  - match: a/b\n    reason: r\n    expires: 2026-02-30\n',
      "p.yml:4:14: 'expires' must be a date written YYYY-MM-DD (the last day the exception holds), not '2026-02-30'",
    ],
    [
      'allow:\n  - match: a/b\n    reason: r\n    expires: next year\n',
      "p.yml:4:14: 'expires' must be a date written YYYY-MM-DD (the last day the exception holds), not 'next year'",
    ],
    ['allow:\n  - match: a/b\n    reason: ""\n', "p.yml:3:13: 'reason' must be a non-empty string"],
    [
      'allow:\n  - match: a/b\n    reason: r\n    until: 2026-01-01\n',
      "p.yml:4:5: unknown key 'until' in an allow exception. Expected: match, reason, expires",
    ],
    [
      'allow:\n  - [a]\n',
      "p.yml:2:5: each item of 'allow' must be a non-empty string or a mapping with match, reason and optionally expires",
    ],
  ])('%j is refused with file:line:col', (text, message) => {
    expect(() => parsePolicy(text, 'p.yml')).toThrow(message);
  });

  it('an expired exception exempts nothing and is a finding at its entry; a live one exempts', () => {
    const policy = parsePolicy(
      'allow:\n  - match: old/tool\n    reason: r\n    expires: 2026-01-01\n  - match: new/tool\n    reason: r\n    expires: 2026-12-31\n',
      '.github/slipway-pin.yml',
    );
    const compiled = compilePolicy(policy, new Date('2026-06-01T00:00:00Z'));
    expect(compiled.allows('old/tool')).toBe(false);
    expect(compiled.allows('new/tool')).toBe(true);
    expect(
      compiled.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.reference}`),
    ).toEqual(['.github/slipway-pin.yml:2:5 expired-exception old/tool']);
    expect(compilePolicy(policy, new Date('2025-12-31T23:59:59Z')).allows('old/tool')).toBe(true);
  });

  it('mergePolicies keeps the exceptions of every policy', () => {
    const a = parsePolicy('allow:\n  - match: a/b\n    reason: r\n', 'a.yml');
    const b = parsePolicy('allow:\n  - match: c/d\n    reason: s\n', 'b.yml');
    expect(mergePolicies(a, b).exceptions?.map((e) => `${e.file} ${e.match}`)).toEqual([
      'a.yml a/b',
      'b.yml c/d',
    ]);
  });
});
