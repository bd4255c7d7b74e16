/** Matches request paths against OpenAPI path templates. */
import type { RestRoute } from './rest-route.ts';

export interface RouteMatch {
  route: RestRoute;
  params: Record<string, string>;
}

function literalCount(path: string): number {
  return path.split('/').filter((s) => s && !s.startsWith('{')).length;
}

export class RouteTable {
  private readonly routes: RestRoute[] = [];

  register(routes: readonly RestRoute[]): void {
    this.routes.push(...routes);
    this.routes.sort((a, b) => literalCount(b.path) - literalCount(a.path));
  }

  /** Finds the route for a raw (still percent-encoded) path; `methodMismatch` when only the method differs. */
  match(method: string, rawPath: string): RouteMatch | 'methodMismatch' | null {
    const segments = rawPath.split('/').slice(1);
    let methodMismatch = false;
    for (const route of this.routes) {
      const params = matchTemplate(route, segments);
      if (!params) continue;
      if (route.method === method) return { route, params };
      methodMismatch = true;
    }
    return methodMismatch ? 'methodMismatch' : null;
  }
}

function matchTemplate(route: RestRoute, segments: string[]): Record<string, string> | null {
  const template = route.path.split('/').slice(1);
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i += 1) {
    const part = template[i]!;
    const param = /^\{(.+)\}$/.exec(part)?.[1];
    if (param && param === route.greedy && i === template.length - 1) {
      const rest = segments.slice(i);
      if (rest.length === 0 || rest.join('') === '') return null;
      params[param] = rest.map(decode).join('/');
      return params;
    }
    const segment = segments[i];
    if (segment === undefined || segment === '') return null;
    if (param) params[param] = decode(segment);
    else if (part !== segment) return null;
  }
  return segments.length === template.length ? params : null;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
