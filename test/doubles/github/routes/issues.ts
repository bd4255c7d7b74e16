/** Issue endpoints used on pull requests: add labels, add assignees. */
import type { RestRoute } from '../rest-route.ts';
import { issueJson, labelJson } from '../shapes/pull-shape.ts';
import { findPull } from './pulls.ts';

type LabelInput = string | { name?: string };

export const issueRoutes: RestRoute[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    async handle(ctx) {
      const repo = ctx.repo('pull_requests', 'write');
      const pr = findPull(repo, Number(ctx.params.issue_number));
      const body = ctx.body as { labels?: LabelInput[] } | LabelInput[];
      const labels = Array.isArray(body) ? body : (body.labels ?? []);
      for (const label of labels) {
        const name = typeof label === 'string' ? label : label.name;
        if (name && !pr.labels.includes(name)) pr.labels.push(name);
      }
      return { status: 200, body: pr.labels.map((name) => labelJson(ctx.state, repo, name)) };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/assignees',
    async handle(ctx) {
      const repo = ctx.repo('pull_requests', 'write');
      const pr = findPull(repo, Number(ctx.params.issue_number));
      const body = ctx.body as { assignees?: string[] };
      for (const login of body.assignees ?? []) if (!pr.assignees.includes(login)) pr.assignees.push(login);
      return { status: 201, body: await issueJson(ctx.state, repo, pr) };
    },
  },
];
