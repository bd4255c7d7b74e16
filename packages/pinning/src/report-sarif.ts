/**
 * SARIF 2.1.0 output, as GitHub code scanning accepts it: one run, the rule
 * metadata in tool.driver.rules, one result per finding with a region, and
 * paths relative to the repository root under %SRCROOT%.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { UserError } from '@slipway/core';
import { RULE_IDS, RULES, type Finding } from './rules.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'slipway pin-check';
const INFORMATION_URI = 'https://github.com/slipway-dev/slipway/tree/main/actions/pin-check';

/** Code scanning ranks alerts by this property (0.0-10.0). */
const SECURITY_SEVERITY: Record<string, string> = { error: '8.0', warning: '5.0', note: '2.0' };

export interface SarifOptions {
  version: string;
  /**
   * Absolute path of the checked root the finding paths are relative to; written as
   * originalUriBaseIds.%SRCROOT% (a file URI ending in '/'). In Actions it is left out:
   * code scanning takes the checkout as %SRCROOT%.
   */
  srcRoot?: string;
}

export function toSarif(findings: readonly Finding[], options: SarifOptions): Log {
  const rules = RULE_IDS.map((id): ReportingDescriptor => {
    const rule = RULES[id];
    return {
      id,
      name: rule.name,
      shortDescription: { text: rule.summary },
      fullDescription: { text: rule.summary },
      help: { text: rule.help, markdown: rule.help },
      defaultConfiguration: { level: rule.defaultSeverity },
      properties: {
        tags: ['security', 'supply-chain'],
        precision: 'very-high',
        'problem.severity': rule.defaultSeverity === 'note' ? 'recommendation' : rule.defaultSeverity,
        'security-severity': SECURITY_SEVERITY[rule.defaultSeverity],
      },
    };
  });
  for (const f of findings)
    if (f.file === '..' || f.file.startsWith('../') || f.file.startsWith('/'))
      throw new UserError(
        `${f.file} lies outside the checked root, so SARIF cannot name it relative to %SRCROOT%`,
        { hint: 'Check one repository per SARIF report.' },
      );
  const results = findings.map((f): Result => ({
    ruleId: f.ruleId,
    ruleIndex: RULE_IDS.indexOf(f.ruleId),
    level: f.severity,
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeUriPath(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column },
        },
      },
    ],
    partialFingerprints: { 'slipwayPinCheck/v1': fingerprint(f) },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            informationUri: INFORMATION_URI,
            semanticVersion: options.version,
            rules,
          },
        },
        ...(options.srcRoot === undefined
          ? {}
          : { originalUriBaseIds: { '%SRCROOT%': { uri: srcRootUri(options.srcRoot) } } }),
        automationDetails: { id: 'slipway/pin-check/' },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function srcRootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function encodeUriPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Stable across line moves: file, rule and reference, not position. */
function fingerprint(f: Finding): string {
  return createHash('sha256').update(`${f.file}\0${f.ruleId}\0${f.reference}`).digest('hex').slice(0, 32);
}
