/**
 * `Query.securityVulnerabilities`: GitHub Advisory Database entries, one node per vulnerable
 * package range, filtered by `ecosystem` and `package` (exact name, as GitHub matches it) and
 * paged with `first`. Entries are plain records the test adds (`gh.advisories.push(...)`).
 */
import type { GraphqlContext, Resolvers } from './resolver-types.ts';
import { cursorFor } from './object-nodes.ts';

export interface AdvisoryRecord {
  ghsaId: string;
  summary: string;
  severity: 'LOW' | 'MODERATE' | 'HIGH' | 'CRITICAL';
  /** `ACTIONS` for GitHub Actions (package name `owner/repo`). */
  ecosystem: string;
  package: string;
  /** e.g. `< 4.1.2`, `>= 1.0.0, < 1.2.0` */
  vulnerableVersionRange: string;
  firstPatchedVersion?: string;
  publishedAt?: string;
  withdrawnAt?: string;
}

interface VulnerabilityArgs {
  ecosystem?: string;
  package?: string;
  first?: number;
}

export const advisoryResolvers: Resolvers = {
  Query: {
    securityVulnerabilities: (_root: unknown, args: VulnerabilityArgs, ctx: GraphqlContext) => {
      const all = ctx.state.advisories.filter(
        (a) =>
          (args.ecosystem === undefined || a.ecosystem === args.ecosystem) &&
          (args.package === undefined || a.package.toLowerCase() === args.package.toLowerCase()),
      );
      const page = all.slice(0, args.first ?? all.length);
      const edges = page.map((record, i) => ({ node: record, cursor: cursorFor(i) }));
      return {
        totalCount: all.length,
        nodes: page,
        edges,
        pageInfo: {
          hasNextPage: page.length < all.length,
          hasPreviousPage: false,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges[edges.length - 1]?.cursor ?? null,
        },
      };
    },
  },
  SecurityVulnerability: {
    advisory: (record: AdvisoryRecord) => record,
    firstPatchedVersion: (record: AdvisoryRecord) =>
      record.firstPatchedVersion ? { identifier: record.firstPatchedVersion } : null,
    package: (record: AdvisoryRecord) => ({ ecosystem: record.ecosystem, name: record.package }),
    severity: (record: AdvisoryRecord) => record.severity,
    updatedAt: (record: AdvisoryRecord) => record.publishedAt ?? '2026-01-01T00:00:00Z',
    vulnerableVersionRange: (record: AdvisoryRecord) => record.vulnerableVersionRange,
  },
  SecurityAdvisory: {
    ghsaId: (record: AdvisoryRecord) => record.ghsaId,
    summary: (record: AdvisoryRecord) => record.summary,
    severity: (record: AdvisoryRecord) => record.severity,
    publishedAt: (record: AdvisoryRecord) => record.publishedAt ?? '2026-01-01T00:00:00Z',
    withdrawnAt: (record: AdvisoryRecord) => record.withdrawnAt ?? null,
    permalink: (record: AdvisoryRecord, _args: unknown, ctx: GraphqlContext) =>
      `${ctx.state.serverUrl}/advisories/${record.ghsaId}`,
  },
};
