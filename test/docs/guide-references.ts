/**
 * What the guides say about Slipway's own actions and reusable workflows, checked against their
 * definitions: every `uses:` of ours in a YAML example (`with:` keys are inputs of the action.yml or
 * of `on.workflow_call`, `secrets:` keys are secrets of the workflow, required inputs are given),
 * and every name the prose calls an input or a secret exists in some action or workflow.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { fencedBlocks, withoutCode } from './markdown.ts';

interface Spec {
  required?: boolean | string;
  default?: unknown;
}
interface Interface {
  kind: 'action' | 'workflow';
  file: string;
  inputs: Record<string, Spec>;
  secrets: Record<string, Spec>;
}

/** A `uses:` of one of our actions or workflows, as written in a guide's YAML example. */
export interface GuideCall {
  where: string;
  uses: string;
  with: string[];
  secrets: string[] | 'inherit';
}

const ACTION = /^(?:OWNER\/slipway\/actions\/([\w-]+)@\S+|\.\/(?:\.slipway\/)?actions\/([\w-]+))$/;
const WORKFLOW =
  /^(?:OWNER\/slipway\/\.github\/workflows\/([\w.-]+\.ya?ml)@\S+|\.\/\.github\/workflows\/([\w.-]+\.ya?ml))$/;

/** The action or reusable workflow a `uses:` value names, when it is one of ours. */
export function target(root: string, uses: string): Interface | 'missing' | undefined {
  const action = ACTION.exec(uses);
  if (action) {
    const file = join(root, 'actions', action[1] ?? action[2]!, 'action.yml');
    if (!existsSync(file)) return 'missing';
    const meta = parseAllDocuments(readFileSync(file, 'utf8'))[0]!.toJS() as {
      inputs?: Record<string, Spec>;
    };
    return { kind: 'action', file, inputs: meta.inputs ?? {}, secrets: {} };
  }
  const workflow = WORKFLOW.exec(uses);
  if (workflow) {
    const file = join(root, '.github', 'workflows', workflow[1] ?? workflow[2]!);
    if (!existsSync(file)) return 'missing';
    const on = (parseAllDocuments(readFileSync(file, 'utf8'))[0]!.toJS() as { on?: Record<string, unknown> })
      .on;
    const call = on?.workflow_call as
      { inputs?: Record<string, Spec>; secrets?: Record<string, Spec> } | undefined;
    if (!call) return 'missing';
    return { kind: 'workflow', file, inputs: call.inputs ?? {}, secrets: call.secrets ?? {} };
  }
  return undefined;
}

/** Every call of ours in the YAML blocks of a Markdown text; YAML that does not parse is a problem. */
export function guideCalls(markdown: string, file: string): { calls: GuideCall[]; problems: string[] } {
  const calls: GuideCall[] = [];
  const problems: string[] = [];
  for (const block of fencedBlocks(markdown)) {
    if (block.lang !== 'yaml' && block.lang !== 'yml') continue;
    const docs = parseAllDocuments(block.body);
    const errors = docs.flatMap((d) => d.errors);
    if (errors.length > 0) {
      problems.push(
        `${file}:${block.line}: the YAML example does not parse: ${errors[0]!.message.split('\n')[0]}`,
      );
      continue;
    }
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (node === null || typeof node !== 'object') return;
      const map = node as Record<string, unknown>;
      if (typeof map.uses === 'string') {
        const secrets = map.secrets;
        calls.push({
          where: `${file}:${block.line}`,
          uses: map.uses,
          with: Object.keys((map.with as object | null) ?? {}),
          secrets: secrets === 'inherit' ? 'inherit' : Object.keys((secrets as object | null) ?? {}),
        });
      }
      Object.values(map).forEach(visit);
    };
    docs.forEach((d) => visit(d.toJS()));
  }
  return { calls, problems };
}

/** Problems with one call: unknown inputs or secrets, required inputs left out. */
export function checkGuideCall(root: string, call: GuideCall): string[] {
  const spec = target(root, call.uses);
  if (spec === undefined) return [];
  const at = `${call.where}: ${call.uses}`;
  if (spec === 'missing') return [`${at}: no such action or reusable workflow`];
  const name = relative(root, spec.file);
  const problems = call.with
    .filter((key) => !(key in spec.inputs))
    .map((key) => `${at}: ${name} has no input '${key}'`);
  if (call.secrets === 'inherit') problems.push(`${at}: pass secrets by name, not 'inherit'`);
  else
    problems.push(
      ...call.secrets
        .filter((key) => !(key in spec.secrets))
        .map((key) => `${at}: ${name} has no secret '${key}'`),
    );
  for (const [key, input] of Object.entries(spec.inputs))
    if (
      (input.required === true || input.required === 'true') &&
      input.default === undefined &&
      !call.with.includes(key)
    )
      problems.push(`${at}: required input '${key}' of ${name} is missing`);
  return problems;
}

/** Names the prose calls an input or a secret: "the `x` input", "secret `y`", "`z` secret". */
export function proseNames(markdown: string, file: string): { name: string; kind: string; where: string }[] {
  const found: { name: string; kind: string; where: string }[] = [];
  // code spans stay; fenced blocks go
  withoutCode(markdown, false)
    .split('\n')
    .forEach((line, index) => {
      const patterns = [/(input|secret)s? `([a-z][a-z0-9-]*)`/g, /`([a-z][a-z0-9-]*)` (input|secret)/g];
      for (const [i, pattern] of patterns.entries())
        for (const m of line.matchAll(pattern))
          found.push({
            name: i === 0 ? m[2]! : m[1]!,
            kind: i === 0 ? m[1]! : m[2]!,
            where: `${file}:${index + 1}`,
          });
    });
  return found;
}

/** Every input and secret name of every action and reusable workflow in `root`. */
export function knownNames(root: string): { inputs: Set<string>; secrets: Set<string> } {
  const inputs = new Set<string>();
  const secrets = new Set<string>();
  for (const name of readdirSync(join(root, 'actions'))) {
    const spec = target(root, `./actions/${name}`);
    if (spec && spec !== 'missing') Object.keys(spec.inputs).forEach((k) => inputs.add(k));
  }
  for (const file of readdirSync(join(root, '.github', 'workflows'))) {
    const spec = target(root, `./.github/workflows/${file}`);
    if (spec && spec !== 'missing') {
      Object.keys(spec.inputs).forEach((k) => inputs.add(k));
      Object.keys(spec.secrets).forEach((k) => secrets.add(k));
    }
  }
  return { inputs, secrets };
}
