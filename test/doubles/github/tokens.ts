/**
 * Token -> access map. Models a GitHub App installation / fine-grained token:
 * per-category permissions and an optional repository allow-list. Without any
 * configured tokens the double accepts every request with full access.
 */
import { HttpError } from './http-error.ts';
import type { HostedRepo } from './repo-store.ts';

export type PermissionCategory = 'contents' | 'pull_requests' | 'issues' | 'metadata';
export type AccessLevel = 'read' | 'write';

export interface TokenGrant {
  permissions?: Partial<Record<PermissionCategory, AccessLevel>>;
  /** `owner/name` the token may access; absent = every repository. */
  repositories?: string[];
  /** Classic PAT scopes, echoed in `x-oauth-scopes`. */
  scopes?: string[];
}

export interface Caller {
  token: string | null;
  grant: TokenGrant | null;
}

const FULL_ACCESS: TokenGrant = {
  permissions: { contents: 'write', pull_requests: 'write', issues: 'write', metadata: 'read' },
};

export class TokenRegistry {
  private readonly grants = new Map<string, TokenGrant>();
  private enforce = false;

  constructor(initial?: Record<string, TokenGrant>) {
    if (initial) for (const [token, grant] of Object.entries(initial)) this.set(token, grant);
  }

  /** Registers a token; from then on unknown tokens get 401 Bad credentials. */
  set(token: string, grant: TokenGrant): void {
    this.grants.set(token, grant);
    this.enforce = true;
  }

  delete(token: string): void {
    this.grants.delete(token);
  }

  /** Authenticates the Authorization header value; throws GitHub's 401 for an unknown token. */
  authenticate(authorization: string | undefined): Caller {
    const token = authorization?.replace(/^(token|bearer)\s+/i, '').trim() || null;
    if (!this.enforce) return { token, grant: FULL_ACCESS };
    if (token === null) return { token: null, grant: null };
    const grant = this.grants.get(token);
    if (!grant)
      throw new HttpError(401, 'Bad credentials', { documentation_url: 'https://docs.github.com/rest' });
    return { token, grant };
  }

  scopesHeader(caller: Caller): string | undefined {
    return caller.grant?.scopes?.join(', ');
  }
}

function canSee(caller: Caller, repo: HostedRepo): boolean {
  const allowed = caller.grant?.repositories;
  return allowed === undefined || allowed.some((r) => r.toLowerCase() === repo.fullName.toLowerCase());
}

/** GitHub's 403 for an installation token, naming the permission it lacks in x-accepted-github-permissions. */
function notAccessible(category: PermissionCategory, level: AccessLevel): HttpError {
  return new HttpError(
    403,
    'Resource not accessible by integration',
    {},
    { 'x-accepted-github-permissions': `${category}=${level}` },
  );
}

/**
 * Checks access like GitHub: a private repository the caller cannot see is a 404;
 * a visible repository without the needed permission is 403 "Resource not
 * accessible by integration" (anonymous writes: 401 "Requires authentication").
 */
export function checkAccess(
  caller: Caller,
  repo: HostedRepo,
  category: PermissionCategory,
  level: AccessLevel,
): void {
  const visible = canSee(caller, repo) && caller.grant !== null;
  if (repo.private && !visible) throw new HttpError(404, 'Not Found');
  if (level === 'read' && (!repo.private || visible)) {
    if (!visible || category === 'metadata') return;
    if (caller.grant?.permissions?.[category] !== undefined) return;
    if (!repo.private) return;
    throw notAccessible(category, level);
  }
  if (caller.grant === null) throw new HttpError(401, 'Requires authentication');
  if (!visible || caller.grant.permissions?.[category] !== 'write') {
    throw notAccessible(category, level);
  }
}
