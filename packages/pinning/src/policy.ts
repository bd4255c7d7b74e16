/**
 * The pin policy: which references may stay unpinned (allow-list), the severity
 * of each rule, and which paths are not checked. Read from
 * `.github/slipway-pin.yml` and/or built from command-line flags.
 */
import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parseDuration, UserError } from '@slipway/core';
import {
  expiredExceptionFindings,
  isExpired,
  parseException,
  type PolicyException,
} from './policy-exceptions.ts';
import { isRuleId, RULE_IDS, RULES, SEVERITIES, type Finding, type RuleId, type Severity } from './rules.ts';

export const DEFAULT_POLICY_PATH = '.github/slipway-pin.yml';

export interface Policy {
  /** Owners (`my-org`), repositories (`owner/repo`), images (`ghcr.io/org/app`) or globs (`actions/*`). */
  allow: string[];
  /** Allow entries with a reason and optional expiry (the mapping form of an `allow:` item). */
  exceptions?: PolicyException[];
  severity: Partial<Record<RuleId, Severity>>;
  /** Globs over paths relative to the root (`.github/workflows/experimental-*.yml`). */
  ignore: string[];
  /** With update: only move pins to tags made at least this many milliseconds ago (cooldown). */
  minReleaseAgeMs?: number;
}

export const emptyPolicy = (): Policy => ({ allow: [], severity: {}, ignore: [] });

const POLICY_KEYS = ['allow', 'severity', 'ignore', 'min-release-age'];

/** Parses a policy file. Errors name the file, the line and what is accepted. */
export function parsePolicy(text: string, file: string): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false });
  const position = (node: Node | null | undefined) => lineCounter.linePos(node?.range?.[0] ?? 0);
  const at = (node: Node | null | undefined) => {
    const pos = position(node);
    return `${file}:${pos.line}:${pos.col}`;
  };
  const [error] = doc.errors;
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    throw new UserError(`${file}:${pos.line}:${pos.col}: not valid YAML: ${error.message.split('\n')[0]}`);
  }
  const policy = emptyPolicy();
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return policy;
  if (!isMap(root))
    throw new UserError(`${at(root)}: the policy must be a mapping with keys ${POLICY_KEYS.join(', ')}`);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    if (key === 'allow') {
      const items = isSeq(value) ? value.items : [];
      const exceptions = items.filter(isMap).map((item) => parseException(item, file, position));
      if (exceptions.length > 0) policy.exceptions = exceptions;
      policy.allow = isSeq(value)
        ? value.items.filter((item) => !isMap(item)).map((item) => stringItem(item as Node, key, at))
        : stringList(value, key, at);
    } else if (key === 'ignore') {
      policy[key] = stringList(value, key, at);
    } else if (key === 'min-release-age') {
      policy.minReleaseAgeMs = releaseAge(value, at(value ?? (pair.key as Node)));
    } else if (key === 'severity') {
      if (value === null) continue;
      if (!isMap(value))
        throw new UserError(`${at(value)}: 'severity' must map rule ids to error, warning, note or off`);
      for (const entry of value.items) {
        const ruleId = isScalar(entry.key) ? String(entry.key.value) : '';
        const level = isScalar(entry.value) ? String(entry.value.value ?? '') : '';
        policy.severity[checkRule(ruleId, at(entry.key as Node))] = checkSeverity(
          level,
          at(entry.value as Node),
        );
      }
    } else {
      throw new UserError(
        `${at(pair.key as Node)}: unknown key '${key}'. Expected one of: ${POLICY_KEYS.join(', ')}`,
      );
    }
  }
  return policy;
}

/**
 * A cooldown as the policy key, the action input and the CLI flag take it: a duration with a unit
 * (`7d`, `72h`, `1d12h`). A bare number would read as seconds, which nobody means here.
 */
export function parseReleaseAge(text: string): number | undefined {
  const value = text.trim();
  return /[a-z]$/.test(value) ? parseDuration(value) : undefined;
}

function releaseAge(node: Node | null, where: string): number {
  const ms = isScalar(node) && typeof node.value === 'string' ? parseReleaseAge(node.value) : undefined;
  if (ms === undefined)
    throw new UserError(
      `${where}: 'min-release-age' must be a duration such as 7d or 72h (how old a tag must be before --update moves a pin to it)`,
    );
  return ms;
}

function stringList(node: Node | null, key: string, at: (node: Node | null | undefined) => string): string[] {
  if (node === null) return [];
  if (!isSeq(node)) throw new UserError(`${at(node)}: '${key}' must be a list of strings`);
  return node.items.map((item) => stringItem(item as Node, key, at));
}

function stringItem(item: Node, key: string, at: (node: Node | null | undefined) => string): string {
  if (!isScalar(item) || typeof item.value !== 'string' || item.value.trim() === '')
    throw new UserError(
      key === 'allow'
        ? `${at(item)}: each item of 'allow' must be a non-empty string or a mapping with match, reason and optionally expires`
        : `${at(item)}: each item of '${key}' must be a non-empty string`,
    );
  return item.value.trim();
}

export function checkRule(ruleId: string, where: string): RuleId {
  if (!isRuleId(ruleId))
    throw new UserError(`${where}: unknown rule '${ruleId}'. Rules: ${RULE_IDS.join(', ')}`);
  return ruleId;
}

export function checkSeverity(level: string, where: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(level))
    throw new UserError(`${where}: unknown severity '${level}'. Expected one of: ${SEVERITIES.join(', ')}`);
  return level as Severity;
}

/** Parses `rule=level` as given to `--severity`; `where` starts an error message. */
export function parseSeverityFlag(text: string, where = '--severity'): [RuleId, Severity] {
  const [ruleId = '', level = ''] = text.split('=', 2);
  return [checkRule(ruleId.trim(), where), checkSeverity(level.trim(), where)];
}

/** Later policies add to allow/ignore and override severities and the release age. */
export function mergePolicies(...policies: Policy[]): Policy {
  const merged = emptyPolicy();
  for (const p of policies) {
    merged.allow.push(...p.allow);
    if (p.exceptions?.length) merged.exceptions = [...(merged.exceptions ?? []), ...p.exceptions];
    merged.ignore.push(...p.ignore);
    Object.assign(merged.severity, p.severity);
    if (p.minReleaseAgeMs !== undefined) merged.minReleaseAgeMs = p.minReleaseAgeMs;
  }
  return merged;
}

export interface CompiledPolicy {
  /** True when the subject (`owner/repo` of an action, name of an image) is allow-listed. */
  allows(subject: string): boolean;
  ignores(file: string): boolean;
  /** The finding with its policy severity, or undefined when the rule is off. */
  apply(finding: Finding): Finding | undefined;
  /** Findings about the policy itself: exceptions past their expiry date. */
  findings: Finding[];
}

/** `now` decides which exceptions have expired (an expired one exempts nothing). */
export function compilePolicy(policy: Policy, now: Date = new Date()): CompiledPolicy {
  const live = (policy.exceptions ?? []).filter((e) => !isExpired(e, now)).map((e) => e.match);
  const matchers = [...policy.allow, ...live].map((pattern) => allowMatcher(pattern.toLowerCase()));
  const ignore = policy.ignore.length > 0 ? picomatch(policy.ignore, { dot: true }) : () => false;
  return {
    allows: (subject) => {
      const lower = subject.toLowerCase();
      return matchers.some((m) => m(lower));
    },
    ignores: (file) => ignore(file),
    findings: expiredExceptionFindings(policy.exceptions ?? [], now),
    apply: (finding) => {
      const level = policy.severity[finding.ruleId] ?? RULES[finding.ruleId].defaultSeverity;
      return level === 'off' ? undefined : { ...finding, severity: level };
    },
  };
}

function allowMatcher(pattern: string): (subject: string) => boolean {
  if (picomatch.scan(pattern).isGlob) return picomatch(pattern, { dot: true });
  if (!pattern.includes('/')) return (subject) => subject === pattern || subject.startsWith(`${pattern}/`);
  return (subject) => subject === pattern;
}
