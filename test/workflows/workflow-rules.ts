/**
 * The rules every reusable workflow under .github/workflows must follow, as a function that returns
 * violations with line numbers, so the rules themselves can be tested on broken workflows.
 *
 * - `on.workflow_call` with typed, described inputs, described secrets, outputs with a value;
 * - top-level `permissions` empty or read-only, explicit least-privilege `permissions` on every job,
 *   `id-token: write` only in jobs that run oidc-login, sign, secure-image or an attest action;
 * - concurrency: a group is shared by every call that evaluates to the same name, and GitHub keeps one
 *   running and one pending per group (a newer pending cancels the older), so a group must start with
 *   `slipway-` (it cannot equal the caller's own) and include `github.run_id` or the caller's
 *   `inputs.concurrency-key`; a workflow without any group says why in a `# No concurrency group: ...`
 *   comment;
 * - `timeout-minutes` on every job;
 * - every `uses:` pinned to a 40-hex commit SHA with a `# vX.Y.Z` comment, or Slipway's own action as
 *   `./.slipway/actions/<name>` after the sanctioned checkout of this workflow's own commit;
 * - no `${{ }}` inside `run:` (values go through `env:`).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { findRunExpressions } from '../lint/run-expressions.ts';

export interface Violation {
  line: number;
  rule: string;
  message: string;
}

/** `${{ job.workflow_sha }}`, or the same read through toJSON (actionlint 1.7.12 still rejects job.workflow_*). */
const OWN_EXPR = (field: string) =>
  new RegExp(`^\\$\\{\\{\\s*(?:job|fromJSON\\(toJSON\\(job\\)\\))\\.${field}\\s*\\}\\}$`);
export const OWN_REPOSITORY_EXPR = OWN_EXPR('workflow_repository');
export const OWN_SHA_EXPR = OWN_EXPR('workflow_sha');
export const OWN_ACTION = /^\.\/\.slipway\/actions\/[a-z0-9-]+$/;
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:\/[^@\s]+)?@[0-9a-f]{40}$/;
const VERSION_COMMENT = /#\s*v\d+(?:\.\d+){0,2}\s*$/;
const OIDC_USERS = /(?:\/actions\/(?:oidc-login|sign|secure-image|deploy-wait)|^actions\/attest[a-z-]*@)/;
const SCOPES = new Set([
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkReusableWorkflow(text: string, file: string): Violation[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) throw new Error(`${file}: YAML error: ${doc.errors[0]!.message}`);
  const lineOf = (node: unknown) =>
    (node as Node | undefined)?.range ? lines.linePos((node as Node).range![0]).line : 1;
  const at = (path: (string | number)[]) => lineOf(doc.getIn(path, true));
  const out: Violation[] = [];
  const add = (line: number, rule: string, message: string) => out.push({ line, rule, message });
  const wf = doc.toJS() as Json;

  const call = isObject(wf.on) ? wf.on.workflow_call : undefined;
  if (!isObject(call)) {
    add(1, 'workflow_call', 'on.workflow_call is missing');
  } else {
    for (const [name, spec] of Object.entries(isObject(call.inputs) ? call.inputs : {})) {
      const where = at(['on', 'workflow_call', 'inputs', name]);
      if (!isObject(spec) || !['string', 'boolean', 'number'].includes(String(spec.type)))
        add(where, 'workflow_call', `input '${name}' needs type string, boolean or number`);
      if (!isObject(spec) || !spec.description)
        add(where, 'workflow_call', `input '${name}' needs a description`);
    }
    for (const [name, spec] of Object.entries(isObject(call.secrets) ? call.secrets : {})) {
      if (!isObject(spec) || !spec.description)
        add(
          at(['on', 'workflow_call', 'secrets', name]),
          'workflow_call',
          `secret '${name}' needs a description`,
        );
    }
    for (const [name, spec] of Object.entries(isObject(call.outputs) ? call.outputs : {})) {
      const where = at(['on', 'workflow_call', 'outputs', name]);
      if (!isObject(spec) || !spec.description)
        add(where, 'workflow_call', `output '${name}' needs a description`);
      if (!isObject(spec) || !/^\$\{\{\s*jobs\./.test(String(spec.value)))
        add(where, 'workflow_call', `output '${name}' needs a value from jobs.<id>.outputs`);
    }
  }

  const top = wf.permissions;
  if (!isObject(top) || Object.values(top).some((level) => level !== 'read' && level !== 'none'))
    add(at(['permissions']), 'permissions', 'top-level permissions must be {} or read-only');

  const concurrency = wf.concurrency;
  const jobs = isObject(wf.jobs) ? wf.jobs : {};
  const group = (c: unknown) => (isObject(c) ? String(c.group ?? '') : typeof c === 'string' ? c : '');
  const groups = [
    { name: group(concurrency), line: at(['concurrency']) },
    ...Object.entries(jobs).map(([id, j]) => ({
      name: group(isObject(j) ? j.concurrency : undefined),
      line: at(['jobs', id, 'concurrency']),
    })),
  ].filter((g) => g.name !== '');
  if (groups.length === 0 && !/^# No concurrency group: \S/m.test(text))
    add(1, 'concurrency', "no concurrency group: say why in a '# No concurrency group: ...' comment");
  for (const g of groups) {
    if (!g.name.startsWith('slipway-'))
      add(g.line, 'concurrency', `group '${g.name}' must start with 'slipway-'`);
    if (!/\bgithub\.run_id\b|\binputs\.concurrency-key\b/.test(g.name))
      add(
        g.line,
        'concurrency',
        `group '${g.name}' must include github.run_id or inputs.concurrency-key: calls that share a group lose all but one pending run`,
      );
  }

  for (const [id, job] of Object.entries(jobs)) {
    if (!isObject(job)) continue;
    checkJob(doc.getIn(['jobs', id], true) as YAMLMap, id, job, text, lineOf, add);
  }

  for (const e of findRunExpressions(text, file))
    add(e.line, 'run-expression', `\${{ ${e.expression} }} inside run:; pass it through env:`);
  return out.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

function checkJob(
  node: YAMLMap,
  id: string,
  job: Json,
  text: string,
  lineOf: (node: unknown) => number,
  add: (line: number, rule: string, message: string) => void,
): void {
  const jobLine = lineOf(node);
  const steps = Array.isArray(job.steps) ? (job.steps as Json[]) : [];
  const stepNodes = node.get('steps', true);
  const stepNode = (i: number) => (isSeq(stepNodes) ? stepNodes.items[i] : undefined);

  if (job.uses === undefined && job['timeout-minutes'] === undefined)
    add(jobLine, 'timeout', `job '${id}' needs timeout-minutes`);

  const perms = job.permissions;
  if (!isObject(perms)) {
    add(jobLine, 'permissions', `job '${id}' needs an explicit permissions map`);
  } else {
    for (const [scope, level] of Object.entries(perms)) {
      if (!SCOPES.has(scope)) add(jobLine, 'permissions', `job '${id}': unknown permission '${scope}'`);
      if (!['read', 'write', 'none'].includes(String(level)))
        add(jobLine, 'permissions', `job '${id}': ${scope} must be read, write or none`);
    }
  }
  const usesOidc = steps.some((s) => typeof s.uses === 'string' && OIDC_USERS.test(s.uses));
  const idToken = isObject(perms) && perms['id-token'] === 'write';
  if (idToken && !usesOidc)
    add(
      jobLine,
      'permissions',
      `job '${id}' grants id-token: write but runs no oidc-login, sign or attest step`,
    );
  if (usesOidc && !idToken)
    add(jobLine, 'permissions', `job '${id}' runs an OIDC step but does not grant id-token: write`);

  let ownCheckout = false;
  let guarded = false;
  steps.forEach((step, i) => {
    const line = lineOf(stepNode(i));
    if (isGuard(step)) guarded = true;
    if (typeof step.uses !== 'string') return;
    const usesNode = isMap(stepNode(i)) ? (stepNode(i) as YAMLMap).items.find(isUsesPair) : undefined;
    const usesLine = usesNode ? lineOf(usesNode.value) : line;
    if (OWN_ACTION.test(step.uses)) {
      if (!ownCheckout)
        add(
          usesLine,
          'pinning',
          `${step.uses} needs the checkout of this workflow's commit into .slipway first`,
        );
      return;
    }
    if (step.uses.startsWith('./'))
      add(
        usesLine,
        'pinning',
        `${step.uses} resolves in the caller's checkout; use ./.slipway/actions/<name>`,
      );
    else if (!PINNED.test(step.uses))
      add(usesLine, 'pinning', `${step.uses} is not pinned to a 40-hex commit SHA`);
    else if (!VERSION_COMMENT.test(text.split(/\r?\n/)[usesLine - 1] ?? ''))
      add(usesLine, 'pinning', `${step.uses} needs a '# vX.Y.Z' comment naming the release`);
    if (isOwnCheckout(step)) {
      if (!guarded)
        add(
          line,
          'pinning',
          `the .slipway checkout must follow a step that fails when job.workflow_sha is empty`,
        );
      ownCheckout = true;
    }
  });
}

const isUsesPair = (p: unknown) => isPair(p) && isScalar(p.key) && p.key.value === 'uses';

/** actions/checkout of job.workflow_repository at job.workflow_sha into .slipway, no stored credentials. */
export function isOwnCheckout(step: Json): boolean {
  const w = step.with;
  return (
    typeof step.uses === 'string' &&
    step.uses.startsWith('actions/checkout@') &&
    isObject(w) &&
    OWN_REPOSITORY_EXPR.test(String(w.repository)) &&
    OWN_SHA_EXPR.test(String(w.ref)) &&
    w.path === '.slipway' &&
    w['persist-credentials'] === false
  );
}

/** A run step that receives job.workflow_sha through env and refuses anything but 40 hex digits. */
function isGuard(step: Json): boolean {
  if (typeof step.run !== 'string' || !isObject(step.env)) return false;
  const env = Object.entries(step.env).find(([, v]) => OWN_SHA_EXPR.test(String(v)));
  return env !== undefined && step.run.includes(`"$${env[0]}" =~ ^[0-9a-f]{40}$`);
}
