/**
 * Fault injection by route. A route key is a REST template ("GET /repos/{owner}/{repo}"),
 * "POST /graphql", "graphql:<rootField>" (e.g. graphql:createCommitOnBranch) or "*".
 */

export interface FaultRequest {
  method: string;
  path: string;
  route: string;
  /** GraphQL root fields of the request (empty for REST). */
  graphqlFields: string[];
  body: unknown;
}

export interface FaultSpec {
  route: string;
  /** How many matching requests the fault applies to (default 1; Infinity = always). */
  times?: number;
  /** Reply with this status (and body/headers) instead of handling the request. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Delay before anything else happens. */
  latencyMs?: number;
  /** Destroy the socket without any response. */
  drop?: boolean;
  /** Runs before the request is handled (e.g. move a branch); the request then proceeds. */
  before?: (request: FaultRequest) => void | Promise<void>;
  /** Rewrites the handler's JSON body before response validation (to prove validation catches a bad shape). */
  transformResponse?: (body: unknown) => unknown;
  /** Extra condition on the request. */
  match?: (request: FaultRequest) => boolean;
}

export interface FaultHandle {
  readonly spec: FaultSpec;
  /** Requests this fault has applied to so far. */
  readonly hits: number;
  remove(): void;
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
  hits: number;
}

const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.';

export class FaultInjector {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): FaultHandle {
    const fault: ActiveFault = { spec, remaining: spec.times ?? 1, hits: 0 };
    this.faults.push(fault);
    return {
      spec,
      get hits() {
        return fault.hits;
      },
      remove: () => {
        this.faults = this.faults.filter((f) => f !== fault);
      },
    };
  }

  /** 403 with retry-after and GitHub's secondary rate limit message. */
  secondaryRateLimit(
    route: string,
    options: { retryAfterSeconds?: number; times?: number } = {},
  ): FaultHandle {
    return this.add({
      route,
      times: options.times,
      status: 403,
      headers: { 'retry-after': String(options.retryAfterSeconds ?? 1) },
      body: {
        message: SECONDARY_MESSAGE,
        documentation_url:
          'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: '403',
      },
    });
  }

  /** 403 with x-ratelimit-remaining 0 and x-ratelimit-reset (primary rate limit exhausted). */
  primaryRateLimit(route: string, options: { resetEpochSeconds?: number; times?: number } = {}): FaultHandle {
    const reset = options.resetEpochSeconds ?? Math.floor(Date.now() / 1000) + 1;
    return this.add({
      route,
      times: options.times,
      status: 403,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-resource': route.includes('graphql') ? 'graphql' : 'core',
      },
      body: {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit',
        status: '403',
      },
    });
  }

  serverError(route: string, options: { status?: number; times?: number } = {}): FaultHandle {
    const status = options.status ?? 502;
    return this.add({
      route,
      times: options.times,
      status,
      body: { message: 'Server Error', status: String(status) },
    });
  }

  dropConnection(route: string, options: { times?: number } = {}): FaultHandle {
    return this.add({ route, times: options.times, drop: true });
  }

  latency(route: string, latencyMs: number, options: { times?: number } = {}): FaultHandle {
    return this.add({ route, times: options.times ?? Infinity, latencyMs });
  }

  beforeRequest(route: string, before: FaultSpec['before'], options: { times?: number } = {}): FaultHandle {
    return this.add({ route, times: options.times, before });
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes and returns the faults that apply to this request, in registration order. */
  take(request: FaultRequest): FaultSpec[] {
    const applied: FaultSpec[] = [];
    for (const fault of this.faults) {
      if (fault.remaining <= 0) continue;
      if (!routeMatches(fault.spec.route, request)) continue;
      if (fault.spec.match && !fault.spec.match(request)) continue;
      fault.remaining -= 1;
      fault.hits += 1;
      applied.push(fault.spec);
    }
    return applied;
  }
}

function routeMatches(key: string, request: FaultRequest): boolean {
  if (key === '*' || key === request.route) return true;
  if (key.startsWith('graphql:')) return request.graphqlFields.includes(key.slice('graphql:'.length));
  return false;
}
