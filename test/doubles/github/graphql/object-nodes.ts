/**
 * GraphQL resolvers for git objects (Commit, Tag, Tree, Blob) and refs. Nodes are
 * small records `{ __typename, repo, oid }`; fields are read from git lazily.
 */
import type { GitObjectType, RefRecord, TreeEntry } from '../git/git-repo.ts';
import { entryAtPath } from '../git/tree-writer.ts';
import { messageHeadline } from '../git/object-parsers.ts';
import { nodeIdFor, type HostedRepo } from '../repo-store.ts';
import type { GraphqlContext, Resolvers } from './resolver-types.ts';

export interface ObjectNode {
  __typename: 'Commit' | 'Tag' | 'Tree' | 'Blob';
  repo: HostedRepo;
  oid: string;
}

export interface RefNode {
  __typename: 'Ref';
  repo: HostedRepo;
  record: RefRecord;
  /** The part of the ref name that is the prefix (`refs/tags/`). */
  prefix: string;
}

const TYPENAMES: Record<GitObjectType, ObjectNode['__typename']> = {
  commit: 'Commit',
  tag: 'Tag',
  tree: 'Tree',
  blob: 'Blob',
};

export function objectNode(repo: HostedRepo, oid: string, type: GitObjectType): ObjectNode {
  return { __typename: TYPENAMES[type], repo, oid };
}

export async function objectNodeFor(repo: HostedRepo, oid: string): Promise<ObjectNode | null> {
  const type = await repo.git.objectType(oid);
  return type ? objectNode(repo, oid, type) : null;
}

export function refNode(repo: HostedRepo, record: RefRecord, prefix?: string): RefNode {
  const fallback = /^(refs\/(?:heads|tags)\/|refs\/)/.exec(record.ref)?.[1] ?? 'refs/';
  return { __typename: 'Ref', repo, record, prefix: prefix ?? fallback };
}

function url(ctx: GraphqlContext, node: ObjectNode, kind: string): string {
  return `${ctx.state.serverUrl}/${node.repo.fullName}/${kind}/${node.oid}`;
}

function actor(signature: { name: string; email: string; date: string }) {
  return { name: signature.name, email: signature.email, date: signature.date, user: null };
}

export const objectResolvers: Resolvers = {
  Ref: {
    id: (ref: RefNode) => nodeIdFor('REF', `${ref.repo.fullName}:${ref.record.ref}`),
    name: (ref: RefNode) => ref.record.ref.slice(ref.prefix.length),
    prefix: (ref: RefNode) => ref.prefix,
    target: (ref: RefNode) => objectNode(ref.repo, ref.record.oid, ref.record.type),
    repository: (ref: RefNode) => ({ __typename: 'Repository', repo: ref.repo }),
  },
  Commit: {
    id: (node: ObjectNode) => nodeIdFor('C', node.oid),
    abbreviatedOid: (node: ObjectNode) => node.oid.slice(0, 7),
    committedDate: async (node: ObjectNode) => (await node.repo.git.readCommit(node.oid)).committer.date,
    authoredDate: async (node: ObjectNode) => (await node.repo.git.readCommit(node.oid)).author.date,
    message: async (node: ObjectNode) =>
      (await node.repo.git.readCommit(node.oid)).message.replace(/\n$/, ''),
    messageHeadline: async (node: ObjectNode) =>
      messageHeadline((await node.repo.git.readCommit(node.oid)).message),
    messageBody: async (node: ObjectNode) => {
      const lines = (await node.repo.git.readCommit(node.oid)).message.replace(/\n$/, '').split('\n');
      return lines.slice(1).join('\n').replace(/^\n+/, '');
    },
    author: async (node: ObjectNode) => actor((await node.repo.git.readCommit(node.oid)).author),
    committer: async (node: ObjectNode) => actor((await node.repo.git.readCommit(node.oid)).committer),
    tree: async (node: ObjectNode) =>
      objectNode(node.repo, (await node.repo.git.readCommit(node.oid)).tree, 'tree'),
    parents: async (node: ObjectNode, args: { first?: number }) => {
      const parents = (await node.repo.git.readCommit(node.oid)).parents;
      const nodes = parents
        .slice(0, args.first ?? parents.length)
        .map((oid) => objectNode(node.repo, oid, 'commit'));
      return {
        totalCount: parents.length,
        nodes,
        edges: nodes.map((n, i) => ({ node: n, cursor: cursorFor(i) })),
        pageInfo: {
          hasNextPage: nodes.length < parents.length,
          hasPreviousPage: false,
          startCursor: null,
          endCursor: null,
        },
      };
    },
    url: (node: ObjectNode, _args: unknown, ctx: GraphqlContext) => url(ctx, node, 'commit'),
    commitUrl: (node: ObjectNode, _args: unknown, ctx: GraphqlContext) => url(ctx, node, 'commit'),
    file: async (node: ObjectNode, args: { path: string }) => {
      const tree = (await node.repo.git.readCommit(node.oid)).tree;
      const entry = await entryAtPath(node.repo.git, tree, args.path);
      return entry ? treeEntryNode(node.repo, entry, args.path.replace(/^\/+|\/+$/g, '')) : null;
    },
    repository: (node: ObjectNode) => ({ __typename: 'Repository', repo: node.repo }),
  },
  Tag: {
    id: (node: ObjectNode) => nodeIdFor('TAG', node.oid),
    abbreviatedOid: (node: ObjectNode) => node.oid.slice(0, 7),
    name: async (node: ObjectNode) => (await node.repo.git.readTag(node.oid)).tag,
    message: async (node: ObjectNode) => (await node.repo.git.readTag(node.oid)).message.replace(/\n$/, ''),
    tagger: async (node: ObjectNode) => {
      const tagger = (await node.repo.git.readTag(node.oid)).tagger;
      return tagger ? actor(tagger) : null;
    },
    target: async (node: ObjectNode) => {
      const tag = await node.repo.git.readTag(node.oid);
      return objectNode(node.repo, tag.object, tag.type);
    },
    repository: (node: ObjectNode) => ({ __typename: 'Repository', repo: node.repo }),
  },
  Blob: {
    id: (node: ObjectNode) => nodeIdFor('B', node.oid),
    abbreviatedOid: (node: ObjectNode) => node.oid.slice(0, 7),
    byteSize: async (node: ObjectNode) => (await node.repo.git.readBlob(node.oid)).length,
    isBinary: async (node: ObjectNode) => (await node.repo.git.readBlob(node.oid)).includes(0),
    isTruncated: () => false,
    text: async (node: ObjectNode) => {
      const content = await node.repo.git.readBlob(node.oid);
      return content.includes(0) ? null : content.toString('utf8');
    },
    repository: (node: ObjectNode) => ({ __typename: 'Repository', repo: node.repo }),
  },
  Tree: {
    id: (node: ObjectNode) => nodeIdFor('T', node.oid),
    abbreviatedOid: (node: ObjectNode) => node.oid.slice(0, 7),
    entries: async (node: ObjectNode) =>
      (await node.repo.git.readTree(node.oid)).map((entry) => treeEntryNode(node.repo, entry, entry.name)),
    repository: (node: ObjectNode) => ({ __typename: 'Repository', repo: node.repo }),
  },
};

/** A TreeEntry value (Tree.entries, Commit.file). */
export function treeEntryNode(repo: HostedRepo, entry: TreeEntry, path: string) {
  const dot = entry.name.lastIndexOf('.');
  return {
    name: entry.name,
    path,
    type: entry.type,
    mode: parseInt(entry.mode, 8),
    oid: entry.oid,
    extension: dot > 0 ? entry.name.slice(dot) : null,
    object: objectNode(repo, entry.oid, entry.type),
    repository: { __typename: 'Repository', repo },
    isGenerated: false,
  };
}

export function cursorFor(index: number): string {
  return Buffer.from(`cursor:${index + 1}`).toString('base64');
}

export function indexFromCursor(cursor: string | undefined | null): number {
  if (!cursor) return 0;
  const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : 0;
}
