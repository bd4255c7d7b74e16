/**
 * Ref writes: POST git/refs, PATCH and DELETE git/refs/{ref}. Serialised per
 * repository and applied with `git update-ref <new> <old>` (compare-and-swap),
 * so concurrent updates behave like GitHub's: one wins, the other gets 422.
 */
import { unprocessable } from '../http-error.ts';
import type { RestRoute } from '../rest-route.ts';
import { gitRefJson } from './refs.ts';

const VALID_REF = /^refs\/[^\s~^:?*[\\]+\/[^\s~^:?*[\\]+$/;

export const gitRefWriteRoutes: RestRoute[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/refs',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'write');
      const body = ctx.body as { ref: string; sha: string };
      if (!VALID_REF.test(body.ref) || body.ref.includes('..') || body.ref.endsWith('/')) {
        throw unprocessable(`Reference name is not valid`);
      }
      if ((await repo.git.objectType(body.sha)) === null) throw unprocessable('Object does not exist');
      return repo.serialize(async () => {
        if (!(await repo.git.compareAndSwapRef(body.ref, body.sha, null))) {
          throw unprocessable('Reference already exists');
        }
        const record = await repo.git.readRef(body.ref);
        return { status: 201, body: gitRefJson(ctx.state, repo, record!) };
      });
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/git/refs/{ref}',
    greedy: 'ref',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'write');
      const body = ctx.body as { sha: string; force?: boolean };
      const ref = `refs/${ctx.params.ref}`;
      if ((await repo.git.objectType(body.sha)) === null) throw unprocessable('Object does not exist');
      return repo.serialize(async () => {
        const current = await repo.git.readRef(ref);
        if (!current) throw unprocessable('Reference does not exist');
        if (!body.force && current.oid !== body.sha && !(await repo.git.isAncestor(current.oid, body.sha))) {
          throw unprocessable('Update is not a fast forward');
        }
        if (!(await repo.git.compareAndSwapRef(ref, body.sha, current.oid))) {
          throw unprocessable('Reference cannot be updated');
        }
        const record = await repo.git.readRef(ref);
        return { status: 200, body: gitRefJson(ctx.state, repo, record!) };
      });
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/git/refs/{ref}',
    greedy: 'ref',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'write');
      const ref = `refs/${ctx.params.ref}`;
      return repo.serialize(async () => {
        const current = await repo.git.readRef(ref);
        if (!current || !(await repo.git.deleteRef(ref, current.oid)))
          throw unprocessable('Reference does not exist');
        return { status: 204 };
      });
    },
  },
];
