/**
 * The decision at the heart of deploy-wait, as a pure function of one
 * Application snapshot: has Argo CD deployed the expected commit, and is it
 * healthy on evidence gathered after that deployment finished?
 */
import {
  comparedRevisions,
  operationRevisions,
  revisionMatches,
  shortRevision,
  type Application,
  type ApplicationTree,
  type ResourceNode,
} from './application.ts';

export type Verdict =
  /** Not there yet; keep polling. */
  | { state: 'waiting'; reason: string }
  /** Every condition holds in this snapshot (the soak decides when it is enough). */
  | { state: 'healthy'; reason: string }
  /** Deployed and broken, or the sync of the expected revision failed: stop now. */
  | { state: 'failed'; reason: string };

const waiting = (reason: string): Verdict => ({ state: 'waiting', reason });
const failed = (reason: string): Verdict => ({ state: 'failed', reason });

function time(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function withMessage(text: string, message: string | undefined): string {
  return message ? `${text}: ${message}` : text;
}

/**
 * Success needs all of: the expected revision compared (`sync.revision`, or one
 * of `sync.revisions` for a multi-source app), `sync.status == Synced`, the last
 * operation for that revision `Succeeded`, health re-read after the operation
 * finished (`reconciledAt >= operationState.finishedAt`) and `Healthy`.
 * A failed or errored sync of the expected revision, or `Degraded`/`Missing`
 * health read after it, fails. Anything else (an older revision, a running
 * operation, a stale reconcile, Progressing, Suspended) is waiting.
 * `descendants` holds revisions known to contain `expected` (accepted like it).
 */
export function assessApplication(
  app: Application,
  expected: string,
  descendants: ReadonlySet<string> = new Set(),
): Verdict {
  const status = app.status ?? {};
  const want = shortRevision(expected);
  const isTarget = (revision: string) => revisionMatches(revision, expected) || descendants.has(revision);
  const op = status.operationState;
  const opRevisions = operationRevisions(op);
  const opForTarget = opRevisions.some(isTarget);
  if (op && opForTarget && (op.phase === 'Failed' || op.phase === 'Error')) {
    return failed(withMessage(`the sync of ${want} ended ${op.phase}`, op.message));
  }
  const compared = comparedRevisions(status);
  if (!compared.some(isTarget)) {
    const seen = compared.length > 0 ? compared.map(shortRevision).join(', ') : 'no revision';
    return waiting(`Argo CD has compared ${seen}, not ${want} yet`);
  }
  const syncStatus = status.sync?.status ?? 'Unknown';
  if (syncStatus !== 'Synced') return waiting(`sync status is ${syncStatus}`);
  if (!op) return waiting(`no sync operation of ${want} recorded yet`);
  if (!opForTarget) {
    const last = opRevisions.length > 0 ? opRevisions.map(shortRevision).join(', ') : 'an unknown revision';
    return waiting(`the last sync operation was for ${last}, not ${want}`);
  }
  if (op.phase !== 'Succeeded') return waiting(`the sync operation of ${want} is ${op.phase ?? 'pending'}`);
  const finishedAt = time(op.finishedAt);
  const reconciledAt = time(status.reconciledAt);
  if (finishedAt === undefined || reconciledAt === undefined || reconciledAt < finishedAt) {
    return waiting(
      `health not re-read since the sync finished (reconciledAt ${status.reconciledAt ?? 'unset'} < finishedAt ${op.finishedAt ?? 'unset'})`,
    );
  }
  const health = status.health?.status ?? 'Unknown';
  if (health === 'Healthy') return { state: 'healthy', reason: `Synced at ${want} and Healthy` };
  if (health === 'Degraded' || health === 'Missing') {
    return failed(withMessage(`health is ${health}`, status.health?.message));
  }
  return waiting(withMessage(`health is ${health}`, status.health?.message));
}

/** A resource that is not Healthy, as a failure message names it. */
export interface UnhealthyResource {
  kind: string;
  namespace: string;
  name: string;
  health: string;
  message: string;
}

/**
 * The resources of the tree whose health is known and not Healthy (Argo CD leaves
 * `health` unset for kinds without a health check), parents before children.
 */
export function unhealthyResources(tree: ApplicationTree | undefined): UnhealthyResource[] {
  const nodes: ResourceNode[] = tree?.nodes ?? [];
  return nodes
    .filter((node) => node.health?.status && node.health.status !== 'Healthy')
    .sort((a, b) => (a.parentRefs?.length ?? 0) - (b.parentRefs?.length ?? 0))
    .map((node) => ({
      kind: node.kind ?? '?',
      namespace: node.namespace ?? '',
      name: node.name ?? '?',
      health: node.health?.status ?? 'Unknown',
      message: node.health?.message ?? '',
    }));
}

export function describeResource(resource: UnhealthyResource): string {
  const where = resource.namespace ? `${resource.namespace}/` : '';
  const text = `${resource.kind} ${where}${resource.name} ${resource.health}`;
  return resource.message ? `${text} (${resource.message})` : text;
}
