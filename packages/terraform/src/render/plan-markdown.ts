/**
 * The plan as Markdown, rendered from the (already redacted) plan JSON, for the
 * pull request comment and the job summary. Counts come first; every delete and
 * replace is listed in a highlighted block that is never cut; creates, updates
 * and the attribute details go into a collapsed <details> that is cut, when the
 * text would pass `limit`, with a pointer to where the full plan is. Plan text
 * goes only into code blocks/spans whose fences it cannot close, and the caller's
 * `scrub` runs over the finished text as the last guard.
 */
import { codeBlock, details, escapeHtml } from '@slipway/core';
import { markdownCode } from '@slipway/gitops';
import type { PlanChanges, ResourceChange } from '../plan/plan-changes.ts';

/** GitHub refuses an issue comment body over 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What the comment renderer aims for, leaving room for the final scrub's '***' replacements. */
export const COMMENT_BUDGET = 64_000;
/** A step summary may hold 1 MiB; keep below it. */
export const SUMMARY_BUDGET = 1_000_000;

export interface PlanMeta {
  /** "OpenTofu" or "Terraform". */
  toolLabel: string;
  directory: string;
  workspace: string;
  exitcode: 0 | 1 | 2;
  planDigest: string | undefined;
  /** Where the full plan is (the run's summary page); shown when anything is cut. */
  fullPlanUrl: string | undefined;
  /** Name of the uploaded file holding the redacted plan JSON, if any. */
  artifactName?: string;
}

const MAX_VALUE_CHARS = 400;

function valueText(value: unknown, unknown: boolean): string {
  if (unknown) return '(known after apply)';
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} chars)` : text;
}

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const SYMBOL: Record<ResourceChange['kind'], string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '-/+',
  forget: '.',
};

/** One resource as diff lines: the address, then created or changed attributes. */
export function resourceBlock(r: ResourceChange): string {
  const lines = [
    `${SYMBOL[r.kind]} ${r.address}${r.kind === 'replace' && r.reason ? `  (${r.reason})` : ''}`,
  ];
  const before = obj(r.before);
  const after = obj(r.after);
  const unknown = obj(r.afterUnknown);
  if (r.kind === 'create') {
    for (const key of Object.keys({ ...after, ...unknown }).sort()) {
      if (after[key] === null && unknown[key] !== true) continue;
      lines.push(`+     ${key} = ${valueText(after[key], unknown[key] === true)}`);
    }
  } else if (r.kind === 'update' || r.kind === 'replace') {
    for (const key of Object.keys({ ...before, ...after, ...unknown }).sort()) {
      const from = JSON.stringify(before[key]);
      const isUnknown = unknown[key] === true;
      if (!isUnknown && from === JSON.stringify(after[key])) continue;
      lines.push(`~     ${key}: ${valueText(before[key], false)} -> ${valueText(after[key], isUnknown)}`);
    }
  }
  return lines.join('\n');
}

export function countsLine(c: PlanChanges): string {
  const replaced = c.replace > 0 ? ` (${c.replace} replaced)` : '';
  return `**Plan: ${c.add} to add, ${c.change} to change, ${c.destroy} to destroy**${replaced}`;
}

function heading(meta: PlanMeta): string {
  return `### ${escapeHtml(meta.toolLabel)} plan: ${markdownCode(meta.directory)} · workspace ${markdownCode(meta.workspace)}`;
}

function whereFull(meta: PlanMeta): string {
  const parts = [meta.fullPlanUrl ? `[the job summary](${meta.fullPlanUrl})` : 'the job summary'];
  if (meta.artifactName) parts.push(`the artifact ${markdownCode(meta.artifactName)}`);
  return parts.join(' and ');
}

/** Lines of a fenced block added until `budget` characters; returns the block and how many were left out. */
function fitLines(
  items: readonly string[],
  budget: number,
  language: string,
): { text: string; omitted: number } {
  const kept: string[] = [];
  let used = 0;
  for (const item of items) {
    if (used + item.length + 1 > budget) break;
    kept.push(item);
    used += item.length + 1;
  }
  return {
    text: kept.length > 0 ? codeBlock(kept.join('\n'), language) : '',
    omitted: items.length - kept.length,
  };
}

export function renderPlanMarkdown(changes: PlanChanges, meta: PlanMeta, limit: number, marker = ''): string {
  const head = [
    ...(marker ? [marker] : []),
    heading(meta),
    '',
    `${countsLine(changes)} · exit code ${meta.exitcode}${meta.planDigest ? ` · plan sha256 ${markdownCode(meta.planDigest)}` : ''}`,
    '',
  ];
  const destructive = changes.resources.filter((r) => r.kind === 'delete' || r.kind === 'replace');
  const rest = changes.resources.filter((r) => r.kind !== 'delete');
  const footer = `\n<sub>Full plan: ${whereFull(meta)}.</sub>\n`;
  if (changes.resources.length === 0 && changes.outputs.length === 0) {
    head.push('No changes. The infrastructure matches the configuration.');
    return `${head.join('\n')}\n`;
  }
  if (destructive.length > 0) {
    const deletes = destructive.filter((r) => r.kind === 'delete').length;
    head.push(
      '> [!CAUTION]',
      `> This plan **destroys ${deletes}** and **replaces ${destructive.length - deletes}** resource(s):`,
      '',
    );
    const lines = destructive.map((r) => `${r.kind === 'delete' ? '-' : '-/+'} ${r.address}`);
    // never cut unless the list alone cannot fit in a comment at all
    const fit = fitLines(lines, limit - head.join('\n').length - footer.length - 600, 'diff');
    head.push(fit.text);
    if (fit.omitted > 0)
      head.push(
        '',
        `**${fit.omitted} more destroyed or replaced resource(s) do not fit in a comment**: see ${whereFull(meta)}.`,
      );
    head.push('');
  }
  const fixed = head.join('\n').length + footer.length + 400;
  const sections: string[] = [];
  let budget = limit - fixed;
  if (rest.length > 0) {
    const fit = fitLines(rest.map(resourceBlock), budget, 'diff');
    budget -= fit.text.length;
    const creates = rest.filter((r) => r.kind === 'create').length;
    const updates = rest.filter((r) => r.kind === 'update').length;
    const body =
      fit.omitted > 0
        ? `${fit.text}\n\n${fit.omitted} more not shown here: see ${whereFull(meta)}.`
        : fit.text;
    sections.push(
      details(`Details: ${creates} to create, ${updates} to update, ${changes.replace} to replace`, body),
    );
  }
  if (changes.outputs.length > 0) {
    const lines = changes.outputs.map(
      (o) =>
        `${o.actions.includes('delete') && !o.actions.includes('create') ? '-' : o.actions.includes('create') && !o.actions.includes('delete') ? '+' : '~'} ${o.name}: ${valueText(o.before, false)} -> ${valueText(o.after, false)}`,
    );
    const fit = fitLines(lines, Math.max(0, budget), 'diff');
    const body =
      fit.omitted > 0
        ? `${fit.text}\n\n${fit.omitted} more not shown here: see ${whereFull(meta)}.`
        : fit.text;
    sections.push(details(`Output changes (${changes.outputs.length})`, body));
  }
  return `${head.join('\n')}\n${sections.join('\n\n')}\n${footer}`;
}

/** A failed plan: the (scrubbed) error text, cut to its last lines. */
export function renderPlanError(meta: PlanMeta, errorTail: string, marker = ''): string {
  return [
    ...(marker ? [marker] : []),
    heading(meta),
    '',
    `**Plan failed** · exit code ${meta.exitcode}`,
    '',
    codeBlock(errorTail.slice(-20_000)),
    '',
  ].join('\n');
}
