import type { AdvisoryRecord } from './graphql/advisory-resolvers.ts';
/** The contract between the core server and the REST route modules under routes/. */
import type { HostedRepo, RepoStore } from './repo-store.ts';
import type { AccessLevel, Caller, PermissionCategory } from './tokens.ts';

export interface DoubleState {
  store: RepoStore;
  /** REST base URL, no trailing slash (e.g. http://127.0.0.1:43123). */
  apiUrl: string;
  /** Web base URL used for html_url values. */
  serverUrl: string;
  rateLimit: { limit: number; used: number; graphqlUsed: number; reset: number };
  /** GraphQL fields (`Type.field`) that act as if absent from the schema. */
  hiddenGraphqlFields: ReadonlySet<string>;
  /** GitHub Advisory Database entries served by `Query.securityVulnerabilities`. */
  advisories: AdvisoryRecord[];
}

export interface RestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  caller: Caller;
  state: DoubleState;
  /** Full request URL (for pagination links). */
  url: URL;
  /** The Accept header ('' when absent), for media types such as application/vnd.github.sha. */
  accept: string;
  /** The repository named by {owner}/{repo}, after the access check (404/403 like GitHub). */
  repo(category: PermissionCategory, level: AccessLevel): HostedRepo;
}

export interface RestResult {
  status: number;
  body?: unknown;
  /** A non-JSON body (e.g. the vnd.github.sha media type); sent as is with `contentType`. */
  text?: { body: string; contentType: string };
  headers?: Record<string, string>;
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The path template exactly as in GitHub's OpenAPI description. */
  path: string;
  /** Name of a last path parameter that may contain `/` (refs, paths, base...head). */
  greedy?: string;
  handle(ctx: RestContext): Promise<RestResult>;
}

/** Slices one page out of `items` per `per_page`/`page` and builds GitHub's Link header. */
export function paginate<T>(
  ctx: RestContext,
  items: readonly T[],
  defaultPerPage = 30,
): RestResult & { body: T[] } {
  const perPage = Math.min(
    100,
    Math.max(1, Number(ctx.query.get('per_page') ?? defaultPerPage) || defaultPerPage),
  );
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number, rel: string): string => {
    const url = new URL(ctx.url);
    url.searchParams.set('page', String(p));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
  return { status: 200, body, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}
