/**
 * Every lock of a repository with its current record, read in one GraphQL
 * request per 100 refs (`refs(refPrefix: "refs/slipway-tf-locks/")` with each
 * tip commit's message), for releasing a closed pull request's locks and for
 * status pages.
 */
import type { GitHubClient } from '@slipway/github';
import { explainApiError } from '@slipway/gitops';
import { LOCK_REF_PREFIX } from './lock-name.ts';
import { parseLockMessage, type LockRecord } from './lock-record.ts';

const LIST_QUERY = `query ($owner: String!, $name: String!, $prefix: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    refs(refPrefix: $prefix, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { name target { oid ... on Commit { message } } }
    }
  }
}`;

interface ListPage {
  repository: {
    refs: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: { name: string; target: { oid: string; message?: string } | null }[];
    };
  } | null;
}

export async function listLocks(client: GitHubClient, owner: string, repo: string): Promise<LockRecord[]> {
  const records: LockRecord[] = [];
  let after: string | null = null;
  do {
    const page: ListPage = await client
      .graphql<ListPage>(LIST_QUERY, { owner, name: repo, prefix: LOCK_REF_PREFIX, after })
      .catch((error: unknown) => {
        throw explainApiError(error, 'read', `${owner}/${repo}`);
      });
    const refs = page.repository?.refs;
    if (!refs) break;
    for (const node of refs.nodes) {
      const record = node.target?.message ? parseLockMessage(node.target.message) : null;
      if (record) records.push(record);
    }
    after = refs.pageInfo.hasNextPage ? refs.pageInfo.endCursor : null;
  } while (after);
  return records;
}
