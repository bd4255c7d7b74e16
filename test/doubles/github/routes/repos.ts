/** GET /repos/{owner}/{repo} and GET /rate_limit. */
import type { RestRoute } from '../rest-route.ts';
import { fullRepositoryJson } from '../shapes/repository-shape.ts';

function rate(limit: number, used: number, reset: number): Record<string, number> {
  return { limit, used, remaining: Math.max(0, limit - used), reset };
}

export const repoRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}',
    async handle(ctx) {
      const repo = ctx.repo('metadata', 'read');
      return { status: 200, body: fullRepositoryJson(ctx.state, repo) };
    },
  },
  {
    method: 'GET',
    path: '/rate_limit',
    async handle(ctx) {
      const { limit, used, graphqlUsed, reset } = ctx.state.rateLimit;
      const core = rate(limit, used, reset);
      return {
        status: 200,
        body: {
          resources: { core, graphql: rate(limit, graphqlUsed, reset), search: rate(30, 0, reset) },
          rate: core,
        },
      };
    },
  },
];
