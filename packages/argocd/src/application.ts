/**
 * The slice of Argo CD's Application and ApplicationTree (swagger `v1alpha1Application`,
 * `v1alpha1ApplicationTree`) that deploy-wait reads. Every field is optional, as in the API.
 */

export interface HealthStatus {
  status?: string;
  message?: string;
}

export interface OperationState {
  phase?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  operation?: { sync?: { revision?: string; revisions?: string[] } };
  syncResult?: { revision?: string; revisions?: string[] };
}

export interface ApplicationStatus {
  sync?: { status?: string; revision?: string; revisions?: string[] };
  health?: HealthStatus;
  operationState?: OperationState;
  reconciledAt?: string;
  resources?: { group?: string; kind?: string; namespace?: string; name?: string; health?: HealthStatus }[];
}

export interface Application {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: { source?: { repoURL?: string }; sources?: { repoURL?: string }[] };
  status?: ApplicationStatus;
}

export interface ResourceNode {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  health?: HealthStatus;
  parentRefs?: { kind?: string; name?: string }[];
}

export interface ApplicationTree {
  nodes?: ResourceNode[];
}

/** The application's name as `namespace/name` when it lives outside the control-plane namespace. */
export function applicationLabel(name: string, appNamespace?: string): string {
  return appNamespace ? `${appNamespace}/${name}` : name;
}

/** The revisions Argo CD last compared: `sync.revisions` for multi-source apps, else `sync.revision`. */
export function comparedRevisions(status: ApplicationStatus | undefined): string[] {
  const sync = status?.sync;
  if (sync?.revisions && sync.revisions.length > 0) return sync.revisions;
  return sync?.revision ? [sync.revision] : [];
}

/** The revisions the last operation was for (its result when finished, its request otherwise). */
export function operationRevisions(op: OperationState | undefined): string[] {
  if (!op) return [];
  const result = op.syncResult;
  if (result?.revisions && result.revisions.length > 0) return result.revisions;
  if (result?.revision) return [result.revision];
  const requested = op.operation?.sync;
  if (requested?.revisions && requested.revisions.length > 0) return requested.revisions;
  return requested?.revision ? [requested.revision] : [];
}

/**
 * True when Argo CD's `actual` revision is the `expected` commit: equal ignoring
 * case, or `expected` is an abbreviated SHA (7+ hex digits) that `actual` starts with.
 */
export function revisionMatches(actual: string, expected: string): boolean {
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  if (a === e) return true;
  return /^[0-9a-f]{7,39}$/.test(e) && /^[0-9a-f]{40,64}$/.test(a) && a.startsWith(e);
}

export function shortRevision(revision: string): string {
  return /^[0-9a-f]{40,64}$/i.test(revision) ? revision.slice(0, 12) : revision;
}
