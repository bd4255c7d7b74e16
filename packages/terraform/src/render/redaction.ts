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

function maskChange(change: unknown): unknown {
  const c = obj(change);
  if (!c) return change;
  return {
    ...c,
    before: maskSensitive(c.before, c.before_sensitive),
    after: maskSensitive(c.after, c.after_sensitive),
  };
}

/** planned_values / prior_state.values: resources by `sensitive_values`, outputs by `sensitive`. */
function maskValues(values: unknown): unknown {
  const v = obj(values);
  if (!v) return values;
  const outputs = obj(v.outputs);
  return {
    ...v,
    ...(outputs
      ? {
          outputs: Object.fromEntries(
            Object.entries(outputs).map(([k, o]) => [
              k,
              obj(o)?.sensitive ? { ...obj(o), value: SENSITIVE } : o,
            ]),
          ),
        }
      : {}),
    ...(v.root_module ? { root_module: maskModule(v.root_module) } : {}),
  };
}

function maskModule(module: unknown): unknown {
  const m = obj(module);
  if (!m) return module;
  return {
    ...m,
    ...(Array.isArray(m.resources)
      ? {
          resources: m.resources.map((r) => ({
            ...obj(r),
            values: maskSensitive(obj(r)?.values, obj(r)?.sensitive_values),
          })),
        }
      : {}),
    ...(Array.isArray(m.child_modules) ? { child_modules: m.child_modules.map(maskModule) } : {}),
  };
}

/** The plan JSON with every sensitive value replaced and every known secret scrubbed. */
export function redactPlanJson(planJson: unknown, secrets: Secrets): unknown {
  const plan = obj(planJson);
  if (!plan) return planJson;
  const configVars = obj(obj(obj(plan.configuration)?.root_module)?.variables) ?? {};
  const sensitiveVar = (name: string) => obj(configVars[name])?.sensitive === true;
  const out: Json = { ...plan };
  if (obj(plan.variables)) {
    out.variables = Object.fromEntries(
      Object.entries(obj(plan.variables)!).map(([k, v]) => [
        k,
        sensitiveVar(k) ? { ...obj(v), value: SENSITIVE } : v,
      ]),
    );
  }
  for (const key of ['resource_changes', 'resource_drift'] as const) {
    if (Array.isArray(plan[key]))
      out[key] = (plan[key] as Json[]).map((rc) => ({ ...rc, change: maskChange(rc.change) }));
  }
  if (obj(plan.output_changes)) {
    out.output_changes = Object.fromEntries(
      Object.entries(obj(plan.output_changes)!).map(([k, c]) => [k, maskChange(c)]),
    );
  }
  if (plan.planned_values) out.planned_values = maskValues(plan.planned_values);
  if (obj(plan.prior_state))
    out.prior_state = { ...obj(plan.prior_state), values: maskValues(obj(plan.prior_state)!.values) };
  const config = obj(plan.configuration);
  if (config && obj(config.root_module)) {
    const vars = Object.fromEntries(
      Object.entries(configVars).map(([k, v]) => [
        k,
        sensitiveVar(k) && 'default' in obj(v)! ? { ...obj(v), default: SENSITIVE } : v,
      ]),
    );
    out.configuration = { ...config, root_module: { ...obj(config.root_module), variables: vars } };
  }
  return scrubStrings(out, (text) => scrubText(text, secrets));
}
