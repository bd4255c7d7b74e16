/**
 * The metadata file (`action.yml`, else `action.yaml`) of remote actions at pinned commits,
 * read in batched GraphQL requests: one request carries up to 100 actions (an aliased
 * `repository { object(expression: "<sha>:<path>/action.yml") }` pair each). A file at a commit
 * never changes, so answers are cached without expiry, keyed by repository, SHA and path.
 */
import type { GitHubApi } from './github-api.ts';
import type { RefCache } from './ref-cache.ts';
import { repoKey } from './reference.ts';
import { checkGraphqlErrors } from './resolve-refs.ts';

export interface PinnedAction {
  owner: string;
  repo: string;
  /** Subfolder of the action ('' for the repository root). */
  path: string;
  sha: string;
}

/** The metadata text and its file name, or null when neither file exists at the commit. */
export type ActionMetadata = { file: 'action.yml' | 'action.yaml'; text: string } | null;

export const METADATA_BATCH_SIZE = 100;

export const actionKey = (a: PinnedAction): string =>
  `${repoKey(a.owner, a.repo)}${a.path ? `/${a.path}` : ''}@${a.sha}`;

const isMetadata = (value: unknown): value is ActionMetadata =>
  value === null ||
  (typeof value === 'object' &&
    ((value as { file?: unknown }).file === 'action.yml' ||
      (value as { file?: unknown }).file === 'action.yaml') &&
    typeof (value as { text?: unknown }).text === 'string');

export function buildMetadataQuery(actions: readonly PinnedAction[]): {
  query: string;
  variables: Record<string, string>;
} {
  const params: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  actions.forEach((a, i) => {
    params.push(`$o${i}: String!`, `$n${i}: String!`, `$y${i}: String!`, `$a${i}: String!`);
    const prefix = `${a.sha}:${a.path ? `${a.path}/` : ''}`;
    Object.assign(variables, {
      [`o${i}`]: a.owner,
      [`n${i}`]: a.repo,
      [`y${i}`]: `${prefix}action.yml`,
      [`a${i}`]: `${prefix}action.yaml`,
    });
    fields.push(
      `m${i}: repository(owner: $o${i}, name: $n${i}) { yml: object(expression: $y${i}) { ... on Blob { text isTruncated } } yaml: object(expression: $a${i}) { ... on Blob { text isTruncated } } }`,
    );
  });
  return { query: `query ActionMetadata(${params.join(', ')}) {\n${fields.join('\n')}\n}`, variables };
}

interface BlobAnswer {
  text?: string | null;
  isTruncated?: boolean;
}

function readMetadata(
  answer: { yml?: BlobAnswer | null; yaml?: BlobAnswer | null } | null | undefined,
): ActionMetadata {
  if (typeof answer?.yml?.text === 'string') return { file: 'action.yml', text: answer.yml.text };
  if (typeof answer?.yaml?.text === 'string') return { file: 'action.yaml', text: answer.yaml.text };
  return null;
}

export class ActionMetadataFetcher {
  private readonly known = new Map<string, ActionMetadata>();
  requests = 0;

  constructor(
    private readonly api: GitHubApi,
    private readonly cache?: RefCache,
    private readonly batchSize = METADATA_BATCH_SIZE,
  ) {}

  /** Metadata of each action (null when it has none); each distinct action is read at most once ever. */
  async fetch(actions: readonly PinnedAction[]): Promise<Map<string, ActionMetadata>> {
    const todo = new Map<string, PinnedAction>();
    for (const a of actions) {
      const key = actionKey(a);
      if (this.known.has(key) || todo.has(key)) continue;
      const cached = this.cache?.get<unknown>(`meta:${key}`);
      if (cached !== undefined && isMetadata(cached)) this.known.set(key, cached);
      else todo.set(key, a);
    }
    const list = [...todo.values()];
    for (let start = 0; start < list.length; start += this.batchSize) {
      const batch = list.slice(start, start + this.batchSize);
      const { query, variables } = buildMetadataQuery(batch);
      this.requests++;
      const response = await this.api.graphql(query, variables);
      checkGraphqlErrors(response);
      batch.forEach((a, i) => {
        const metadata = readMetadata(
          response.data?.[`m${i}`] as
            { yml?: BlobAnswer | null; yaml?: BlobAnswer | null } | null | undefined,
        );
        this.known.set(actionKey(a), metadata);
        this.cache?.setPermanent(`meta:${actionKey(a)}`, metadata);
      });
    }
    return new Map(actions.map((a) => [actionKey(a), this.known.get(actionKey(a)) ?? null]));
  }
}
