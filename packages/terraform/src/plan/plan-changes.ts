/**
 * The changes of a plan, read from `show -json` (format 1.x): one entry per
 * managed resource that does something, sorted into create / update / delete /
 * replace, the counts Terraform prints ("Plan: 2 to add, 1 to change, 2 to
 * destroy": a replacement counts as one add and one destroy) plus the number of
 * replacements, and the output changes.
 */
import { UserError } from '@slipway/core';

export type ChangeKind = 'create' | 'update' | 'delete' | 'replace' | 'forget';

export interface ResourceChange {
  address: string;
  kind: ChangeKind;
  /** The raw actions, e.g. ["delete","create"]. */
  actions: string[];
  /** Why a resource is replaced or deleted, as the plan says (e.g. replace_because_cannot_update). */
  reason: string | undefined;
  before: unknown;
  after: unknown;
  afterUnknown: unknown;
  beforeSensitive: unknown;
  afterSensitive: unknown;
}

export interface OutputChange {
  name: string;
  actions: string[];
  before: unknown;
  after: unknown;
  beforeSensitive: unknown;
  afterSensitive: unknown;
}

export interface PlanChanges {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  resources: ResourceChange[];
  outputs: OutputChange[];
  /** "OpenTofu 1.12.6" style, from terraform_version. */
  toolVersion: string;
}

interface RawChange {
  actions?: string[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
}

function kindOf(actions: readonly string[]): ChangeKind | undefined {
  const key = actions.join(',');
  if (key === 'create') return 'create';
  if (key === 'update') return 'update';
  if (key === 'delete') return 'delete';
  if (key === 'delete,create' || key === 'create,delete') return 'replace';
  if (key === 'forget') return 'forget';
  return undefined; // no-op, read
}

export function planChanges(planJson: unknown): PlanChanges {
  const plan = planJson as {
    format_version?: unknown;
    terraform_version?: unknown;
    resource_changes?: { address?: string; mode?: string; action_reason?: string; change?: RawChange }[];
    output_changes?: Record<string, RawChange>;
  } | null;
  if (
    typeof plan !== 'object' ||
    plan === null ||
    typeof plan.format_version !== 'string' ||
    !plan.format_version.startsWith('1.')
  ) {
    throw new UserError(
      '`show -json` did not print a plan in JSON format 1.x; this version of tofu/terraform is not supported.',
    );
  }
  const resources: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed' || !rc.change) continue;
    const actions = rc.change.actions ?? [];
    const kind = kindOf(actions);
    if (!kind) continue;
    resources.push({
      address: String(rc.address),
      kind,
      actions,
      reason: rc.action_reason,
      before: rc.change.before,
      after: rc.change.after,
      afterUnknown: rc.change.after_unknown,
      beforeSensitive: rc.change.before_sensitive,
      afterSensitive: rc.change.after_sensitive,
    });
  }
  const count = (k: ChangeKind) => resources.filter((r) => r.kind === k).length;
  const outputs: OutputChange[] = Object.entries(plan.output_changes ?? {})
    .filter(([, c]) => (c.actions ?? []).some((a) => a !== 'no-op'))
    .map(([name, c]) => ({
      name,
      actions: c.actions ?? [],
      before: c.before,
      after: c.after,
      beforeSensitive: c.before_sensitive,
      afterSensitive: c.after_sensitive,
    }));
  return {
    add: count('create') + count('replace'),
    change: count('update'),
    destroy: count('delete') + count('replace'),
    replace: count('replace'),
    resources,
    outputs,
    toolVersion: typeof plan.terraform_version === 'string' ? plan.terraform_version : 'unknown',
  };
}
