/** Types shared by the GraphQL resolver modules. */
import type { RefRecord } from '../git/git-repo.ts';
import type { HostedRepo } from '../repo-store.ts';
import type { DoubleState } from '../rest-route.ts';
import type { Caller } from '../tokens.ts';

export interface GraphqlContext {
  caller: Caller;
  state: DoubleState;
  /** Per-request snapshot of each repository's refs (queries only; null for mutations, which read fresh). */
  refSnapshots: Map<HostedRepo, Promise<RefRecord[]>> | null;
}

/** All refs of `repo`, read once per query request (one `git for-each-ref` instead of one per alias). */
export function refsOf(ctx: GraphqlContext, repo: HostedRepo): Promise<RefRecord[]> {
  if (!ctx.refSnapshots) return repo.git.listRefs('refs/');
  let snapshot = ctx.refSnapshots.get(repo);
  if (!snapshot) {
    snapshot = repo.git.listRefs('refs/');
    ctx.refSnapshots.set(repo, snapshot);
  }
  return snapshot;
}

export async function refOf(ctx: GraphqlContext, repo: HostedRepo, ref: string): Promise<RefRecord | null> {
  return (await refsOf(ctx, repo)).find((r) => r.ref === ref) ?? null;
}

// Resolvers receive graphql-js' loosely typed (source, args, context, info).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver = (source: any, args: any, context: GraphqlContext) => unknown;

export type Resolvers = Record<string, Record<string, Resolver>>;
