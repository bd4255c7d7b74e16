/** GET /repos/{owner}/{repo}/git/tags/{tag_sha}: annotated tag objects. */
import { HttpError } from '../http-error.ts';
import { nodeIdFor } from '../repo-store.ts';
import type { RestRoute } from '../rest-route.ts';
import { UNSIGNED } from '../shapes/commit-shape.ts';
import { repoApiUrl } from '../shapes/repository-shape.ts';

export const gitTagRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/tags/{tag_sha}',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const sha = ctx.params.tag_sha!;
      if ((await repo.git.objectType(sha)) !== 'tag') throw new HttpError(404, 'Not Found');
      const tag = await repo.git.readTag(sha);
      const api = repoApiUrl(ctx.state, repo);
      const objectPath = tag.type === 'commit' ? 'commits' : `${tag.type}s`;
      return {
        status: 200,
        body: {
          node_id: nodeIdFor('TAG', sha),
          sha,
          url: `${api}/git/tags/${sha}`,
          tag: tag.tag,
          message: tag.message,
          tagger: tag.tagger ?? { name: '', email: '', date: '' },
          object: { sha: tag.object, type: tag.type, url: `${api}/git/${objectPath}/${tag.object}` },
          verification: UNSIGNED,
        },
      };
    },
  },
];
