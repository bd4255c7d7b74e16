/**
 * The repository at one commit, read through the API without a clone: the
 * recursive tree in one REST request, file texts in batches of GraphQL
 * `object(expression: "<sha>:<path>")` aliases.
 */
import { UserError } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import { explainApiError } from '@slipway/gitops';
import { dirOf, isTerraformFile, type TerraformSource } from './module-graph.ts';

export interface RepoSnapshot extends TerraformSource {
  sha: string;
  /** Every file (blob) path at the commit. */
  paths: ReadonlySet<string>;
  /** Directories holding Terraform files. */
  terraformDirs: ReadonlySet<string>;
}

interface TreeResponse {
  truncated: boolean;
  tree: { path: string; type: string }[];
}

const BATCH = 50;

export async function readSnapshot(
  client: GitHubClient,
  coordinates: { owner: string; repo: string },
  sha: string,
): Promise<RepoSnapshot> {
  const { owner, repo } = coordinates;
  const slug = `${owner}/${repo}`;
  const tree = await client
    .rest<TreeResponse>(`GET /repos/${owner}/${repo}/git/trees/${sha}`, { recursive: '1' })
    .catch((error: unknown) => {
      throw explainApiError(error, 'read', slug);
    });
  if (tree.truncated) {
    throw new UserError(
      `The file tree of ${slug} at ${sha} is too large for GitHub's tree API (truncated).`,
      {
        hint: 'List the root modules in .github/slipway-tf.yml and plan them without change detection.',
      },
    );
  }
  const paths = new Set(tree.tree.filter((e) => e.type === 'blob').map((e) => e.path));
  const byDir = new Map<string, string[]>();
  for (const path of paths) {
    if (!isTerraformFile(path)) continue;
    const dir = dirOf(path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), path]);
  }
  return {
    sha,
    paths,
    terraformDirs: new Set(byDir.keys()),
    filesIn: (dir) => byDir.get(dir) ?? [],
    read: (files) => readTexts(client, owner, repo, sha, files),
  };
}

async function readTexts(
  client: GitHubClient,
  owner: string,
  repo: string,
  sha: string,
  files: string[],
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (let start = 0; start < files.length; start += BATCH) {
    const batch = files.slice(start, start + BATCH);
    const variables: Record<string, string> = { owner, name: repo };
    const declarations = batch.map((_, i) => `$e${i}: String!`).join(', ');
    const fields = batch
      .map((path, i) => {
        variables[`e${i}`] = `${sha}:${path}`;
        return `f${i}: object(expression: $e${i}) { ... on Blob { text isTruncated } }`;
      })
      .join('\n    ');
    const query = `query ($owner: String!, $name: String!, ${declarations}) {\n  repository(owner: $owner, name: $name) {\n    ${fields}\n  }\n}`;
    const data = await client
      .graphql<{ repository: Record<string, { text: string | null; isTruncated: boolean } | null> }>(
        query,
        variables,
      )
      .catch((error: unknown) => {
        throw explainApiError(error, 'read', `${owner}/${repo}`);
      });
    batch.forEach((path, i) => {
      const blob = data.repository[`f${i}`];
      if (blob?.isTruncated) throw new UserError(`${path} at ${sha} is too large to read through the API.`);
      if (blob?.text !== undefined && blob.text !== null) texts.set(path, blob.text);
    });
  }
  return texts;
}
