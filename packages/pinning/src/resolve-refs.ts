/**
 * Batched resolution of (repository, ref) pairs through GitHub GraphQL: one
 * request carries up to 100 distinct pairs (one aliased `repository` field
 * each), every distinct pair is asked at most once per run, and answers are
 * cached on disk. Annotated tags are peeled to the commit they point at.
 */
import { CouldNotVerifyError } from './could-not-verify.ts';
import type { GitHubApi, GraphqlResponse } from './github-api.ts';
import type { RefCache } from './ref-cache.ts';
import { FULL_SHA, repoKey } from './reference.ts';

export interface RefPair {
  owner: string;
  repo: string;
  ref: string;
}

export type RefKind = 'tag' | 'branch' | 'commit';

export type Resolution =
  | {
      status: 'ok';
      sha: string;
      kind: RefKind;
      /** Other things the same text names (a branch beside a tag, a tag named like the SHA): never guessed between. */
      alsoNamed?: RefKind[];
    }
  | { status: 'repo-not-found' }
  | { status: 'ref-not-found' };

export const pairKey = (pair: RefPair): string => `${repoKey(pair.owner, pair.repo)}@${pair.ref}`;

/** A cached value of the right shape (the cache file is not trusted to hold one). */
export function isResolution(value: unknown): value is Resolution {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  if (r.status === 'repo-not-found' || r.status === 'ref-not-found') return true;
  const isKind = (k: unknown) => k === 'tag' || k === 'branch' || k === 'commit';
  return (
    r.status === 'ok' &&
    typeof r.sha === 'string' &&
    FULL_SHA.test(r.sha) &&
    isKind(r.kind) &&
    (r.alsoNamed === undefined || (Array.isArray(r.alsoNamed) && r.alsoNamed.every(isKind)))
  );
}

export const BATCH_SIZE = 100;

/** Peels up to three levels of annotated tags. */
export const PEEL_FRAGMENT = `fragment Peel on GitObject { __typename oid ... on Tag { target { __typename oid ... on Tag { target { __typename oid ... on Tag { target { __typename oid } } } } } } }`;

interface GitObject {
  __typename?: string;
  oid?: string;
  target?: GitObject;
}

/** The commit an object stands for: a commit's own oid, or a tag chain's final target. */
export function peel(object: GitObject | null | undefined): string | undefined {
  let current = object;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current.__typename === 'Tag') current = current.target;
    else return current.__typename === 'Commit' || current.__typename === undefined ? current.oid : undefined;
  }
  return undefined;
}

const looksLikeCommit = (ref: string) => /^[0-9a-fA-F]{7,40}$/.test(ref);

export function buildResolveQuery(pairs: readonly RefPair[]): {
  query: string;
  variables: Record<string, string>;
} {
  const params: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  pairs.forEach((pair, i) => {
    params.push(`$o${i}: String!`, `$n${i}: String!`);
    variables[`o${i}`] = pair.owner;
    variables[`n${i}`] = pair.repo;
    const parts: string[] = [];
    if (FULL_SHA.test(pair.ref)) {
      params.push(`$c${i}: GitObjectID!`, `$t${i}: String!`, `$h${i}: String!`);
      variables[`c${i}`] = pair.ref;
      // A tag or branch named like the SHA would make the pin mean something else.
      variables[`t${i}`] = `refs/tags/${pair.ref}`;
      variables[`h${i}`] = `refs/heads/${pair.ref}`;
      parts.push(`commit: object(oid: $c${i}) { __typename oid }`);
      parts.push(`tag: ref(qualifiedName: $t${i}) { target { ...Peel } }`);
      parts.push(`branch: ref(qualifiedName: $h${i}) { target { ...Peel } }`);
    } else {
      params.push(`$t${i}: String!`, `$h${i}: String!`);
      variables[`t${i}`] = `refs/tags/${pair.ref}`;
      variables[`h${i}`] = `refs/heads/${pair.ref}`;
      parts.push(`tag: ref(qualifiedName: $t${i}) { target { ...Peel } }`);
      parts.push(`branch: ref(qualifiedName: $h${i}) { target { ...Peel } }`);
      if (looksLikeCommit(pair.ref)) {
        params.push(`$e${i}: String!`);
        variables[`e${i}`] = pair.ref;
        parts.push(`commit: object(expression: $e${i}) { ...Peel }`);
      }
    }
    fields.push(`p${i}: repository(owner: $o${i}, name: $n${i}) { ${parts.join(' ')} }`);
  });
  const body = `query ResolveRefs(${params.join(', ')}) {\n${fields.join('\n')}\n}`;
  // GraphQL rejects a document with an unused fragment (a batch of full SHAs only).
  const query = body.includes('...Peel') ? `${body}\n${PEEL_FRAGMENT}` : body;
  return { query, variables };
}

interface PairAnswer {
  tag?: { target?: GitObject } | null;
  branch?: { target?: GitObject } | null;
  commit?: GitObject | null;
}

/**
 * What a ref names. A full SHA is the commit (a tag or branch of that name is noted in
 * `alsoNamed`); a name is the tag, else the branch, else the abbreviated commit, with every other
 * match noted in `alsoNamed`.
 */
export function readResolution(answer: PairAnswer | null | undefined, fullSha = false): Resolution {
  if (answer === null || answer === undefined) return { status: 'repo-not-found' };
  const found: [RefKind, string | undefined][] = [
    ['tag', peel(answer.tag?.target)],
    ['branch', peel(answer.branch?.target)],
    ['commit', peel(answer.commit)],
  ];
  const named = found.filter((f): f is [RefKind, string] => f[1] !== undefined);
  const chosen = fullSha ? named.find(([kind]) => kind === 'commit') : named[0];
  if (!chosen) return { status: 'ref-not-found' };
  // `object(expression:)` also resolves a ref name: a "commit" that is the chosen ref's own commit is no second meaning.
  const others = named
    .filter(([kind, sha]) => kind !== chosen[0] && !(kind === 'commit' && sha === chosen[1]))
    .map(([kind]) => kind);
  return {
    status: 'ok',
    sha: chosen[1],
    kind: chosen[0],
    ...(others.length > 0 ? { alsoNamed: others } : {}),
  };
}

/** Throws on GraphQL errors other than NOT_FOUND (which become repo-not-found answers). */
export function checkGraphqlErrors(response: GraphqlResponse): void {
  const serious = (response.errors ?? []).filter((e) => e.type !== 'NOT_FOUND');
  if (serious.length > 0 || !response.data) {
    const text = serious.map((e) => e.message).join('; ') || 'no data in the response';
    throw new CouldNotVerifyError(`GitHub GraphQL error: ${text}`);
  }
}

export class RefResolver {
  private readonly known = new Map<string, Resolution>();
  /** GraphQL requests made by this resolver (not counting cache hits). */
  requests = 0;

  constructor(
    private readonly api: GitHubApi,
    private readonly cache?: RefCache,
    private readonly batchSize = BATCH_SIZE,
  ) {}

  /** The answer for a pair already resolved in this run, without asking GitHub. */
  peek(pair: RefPair): Resolution | undefined {
    return this.known.get(pairKey(pair));
  }

  /** Resolves every pair; pairs already answered in this run or in the cache cost nothing. */
  async resolve(pairs: readonly RefPair[]): Promise<Map<string, Resolution>> {
    const wanted = new Map<string, RefPair>();
    for (const pair of pairs) {
      const key = pairKey(pair);
      if (this.known.has(key) || wanted.has(key)) continue;
      const cached = this.cache?.get<unknown>(`ref:${key}`);
      if (isResolution(cached)) this.known.set(key, cached);
      else wanted.set(key, pair);
    }
    const todo = [...wanted.values()];
    for (let start = 0; start < todo.length; start += this.batchSize) {
      const batch = todo.slice(start, start + this.batchSize);
      const { query, variables } = buildResolveQuery(batch);
      this.requests++;
      const response = await this.api.graphql(query, variables);
      checkGraphqlErrors(response);
      batch.forEach((pair, i) => {
        const resolution = readResolution(
          response.data?.[`p${i}`] as PairAnswer | null | undefined,
          FULL_SHA.test(pair.ref),
        );
        this.known.set(pairKey(pair), resolution);
        this.cache?.set(`ref:${pairKey(pair)}`, resolution);
      });
    }
    return new Map(pairs.map((pair) => [pairKey(pair), this.known.get(pairKey(pair)) as Resolution]));
  }
}
