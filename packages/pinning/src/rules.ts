/**
 * Findings, and the offline evaluation of one reference site.
 */
import {
  describeUnpinnedImage,
  describeUnpinnedRef,
  parseImageReference,
  parseUsesReference,
  type UsesReference,
} from './reference.ts';
import type { ParseProblem, ReferenceSite } from './scan.ts';

import { RULES, type RuleId, type Severity } from './rule-catalog.ts';

export * from './rule-catalog.ts';

export interface Finding {
  ruleId: RuleId;
  severity: Exclude<Severity, 'off'>;
  /** Path relative to the run's root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  /** The reference as written (empty for parse errors). */
  reference: string;
  message: string;
}

/** A finding before policy is applied: its severity is the rule default. */
export function finding(
  ruleId: RuleId,
  at: { file: string; line: number; column: number },
  reference: string,
  message: string,
): Finding {
  const { file, line, column } = at;
  return { ruleId, severity: RULES[ruleId].defaultSeverity, file, line, column, reference, message };
}

export function parseProblemFinding(problem: ParseProblem): Finding {
  return finding('parse-error', problem, '', `${problem.file} is not valid YAML: ${problem.message}`);
}

const SITE_LABEL: Record<ReferenceSite['kind'], string> = {
  'step-uses': 'uses',
  'job-uses': 'reusable workflow',
  container: 'job container image',
  service: 'service container image',
  'runs-image': 'action image',
};

/** The parsed form of a site's value: a `uses:` reference, or an image wrapped as `docker`. */
export function referenceOf(site: ReferenceSite): UsesReference {
  const value = site.value;
  if (value === undefined) return { kind: 'invalid', reason: 'it is not a string' };
  if (site.kind === 'step-uses' || site.kind === 'job-uses') return parseUsesReference(value);
  const stripped = site.kind === 'runs-image' ? value.slice('docker://'.length) : value;
  if (stripped.includes('${{')) return { kind: 'expression' };
  const image = parseImageReference(stripped);
  return 'reason' in image ? { kind: 'invalid', reason: image.reason } : { kind: 'docker', image };
}

/** Offline findings for one site: unpinned, expression or invalid. */
export function evaluateSite(site: ReferenceSite): Finding | undefined {
  const reference = referenceOf(site);
  const shown = site.value ?? '';
  const label = SITE_LABEL[site.kind];
  switch (reference.kind) {
    case 'local':
    case 'self':
      return undefined;
    case 'expression':
      return finding(
        'unresolvable-reference',
        site,
        shown,
        `${label} '${shown}' is computed by an expression, so its pin cannot be checked`,
      );
    case 'invalid':
      return finding(
        'invalid-reference',
        site,
        shown,
        `${label} '${shown}' is not valid: ${reference.reason}`,
      );
    case 'docker': {
      const why = describeUnpinnedImage(reference.image);
      return why === undefined
        ? undefined
        : finding('unpinned-image', site, shown, `${label} '${shown}' is not pinned to a digest: ${why}`);
    }
    case 'action': {
      const why = describeUnpinnedRef(reference.ref);
      return why === undefined
        ? undefined
        : finding(
            'unpinned-action',
            site,
            shown,
            `${label} '${shown}' is not pinned to a commit SHA: ${why}`,
          );
    }
  }
}
