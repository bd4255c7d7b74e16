/**
 * Redaction of a plan before any of it leaves the job (PR comment, job summary,
 * a file written for upload). The runner masks secrets in the log only; API
 * bodies and files are ours to clean. Two layers:
 *  1. structure: values the plan marks sensitive (`before_sensitive`,
 *     `after_sensitive`, `sensitive_values`, sensitive outputs, sensitive
 *     variables and their defaults) are replaced by SENSITIVE;
 *  2. text: every string left is scrubbed of every secret the job knows (action
 *     inputs, TF_VAR_* values, backend-config values, in their encoded forms via
 *     @slipway/core `redact`) and of the user's `redact` patterns.
 */
import { maskSecret, redact, type MaskSink } from '@slipway/core';

export const SENSITIVE = '(sensitive value)';
export const REDACTED = '***';

export interface Secrets {
  values: readonly string[];
  patterns: readonly RegExp[];
}

/** Collects the job's secrets: `core.setSecret` on each the moment it is known. */
export function collectSecrets(
  sources: {
    inputs: readonly string[];
    env: NodeJS.ProcessEnv;
    backendConfig: readonly string[];
    patterns: readonly RegExp[];
  },
  mask: MaskSink,
): Secrets {
  const values = new Set<string>();
  const add = (value: string | undefined) => {
    if (value === undefined || value.trim() === '') return;
    values.add(value);
    maskSecret(value, mask);
  };
  sources.inputs.forEach(add);
  for (const [name, value] of Object.entries(sources.env)) if (name.startsWith('TF_VAR_')) add(value);
  // `key=value` items carry the value; a file path item is read by init, its values are not known here
  for (const item of sources.backendConfig) {
    const eq = item.indexOf('=');
    if (eq > 0) add(item.slice(eq + 1));
  }
  return { values: [...values], patterns: sources.patterns };
}

/** Scrubs one text of every known secret and pattern match. */
export function scrubText(text: string, secrets: Secrets): string {
  let out = secrets.values.length > 0 ? redact(text, secrets.values) : text;
  for (const pattern of secrets.patterns) out = out.replace(globalPattern(pattern), REDACTED);
  return out;
}

function globalPattern(pattern: RegExp): RegExp {
  return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
}

/** Replaces the parts of `value` that `sensitive` (the plan's parallel structure) marks true. */
export function maskSensitive(value: unknown, sensitive: unknown): unknown {
  if (sensitive === true) return value === null || value === undefined ? value : SENSITIVE;
  if (sensitive === null || typeof sensitive !== 'object' || value === null || typeof value !== 'object')
    return value;
  if (Array.isArray(value)) {
    const marks = Array.isArray(sensitive) ? sensitive : [];
    return value.map((item, i) => maskSensitive(item, marks[i]));
  }
  const marks = sensitive as Record<string, unknown>;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSensitive(v, marks[k])]));
}

/** Applies `scrub` to every string (keys included) of a JSON value. */
export function scrubStrings(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubStrings(v, scrub));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k), scrubStrings(v, scrub)]));
  }
  return value;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;

/**
 * Every place of the plan that carries its own sensitivity marks, at any depth (so
 * resource_changes, resource_drift, deferred changes, planned_values, prior_state and
 * child modules alike): `before`/`after` by `before_sensitive`/`after_sensitive`,
 * `values` by `sensitive_values`, and `value`/`default` of anything marked
 * `sensitive: true` (outputs, variable declarations). Over-masking is the safe side.
 */
function maskMarked(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(maskMarked);
  const o = obj(node);
  if (!o) return node;
  const out: Json = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, maskMarked(v)]));
  if ('before_sensitive' in o) out.before = maskSensitive(out.before, o.before_sensitive);
  if ('after_sensitive' in o) out.after = maskSensitive(out.after, o.after_sensitive);
  if ('sensitive_values' in o && 'values' in o) out.values = maskSensitive(out.values, o.sensitive_values);
  if (o.sensitive === true) {
    if ('value' in o) out.value = SENSITIVE;
    if ('default' in o) out.default = SENSITIVE;
  }
  return out;
}

/** The plan JSON with every sensitive value replaced and every known secret scrubbed. */
export function redactPlanJson(planJson: unknown, secrets: Secrets): unknown {
  const plan = obj(planJson);
  if (!plan) return planJson;
  // root variables' values carry no mark of their own: their declarations do
  const declared = obj(obj(obj(plan.configuration)?.root_module)?.variables) ?? {};
  const out = maskMarked(plan) as Json;
  if (obj(plan.variables)) {
    out.variables = Object.fromEntries(
      Object.entries(obj(out.variables)!).map(([k, v]) => [
        k,
        obj(declared[k])?.sensitive === true ? { ...obj(v), value: SENSITIVE } : v,
      ]),
    );
  }
  return scrubStrings(out, (text) => scrubText(text, secrets));
}
