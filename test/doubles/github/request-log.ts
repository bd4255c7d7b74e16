/** Counts requests per route and the bytes that crossed the wire. */

export interface RequestRecord {
  method: string;
  /** Raw path and query as received. */
  url: string;
  /** REST template ("GET /repos/{owner}/{repo}/git/ref/{ref}") or "POST /graphql"; "unmatched" for 404s. */
  route: string;
  /** GraphQL operation name, when the request is GraphQL and names one. */
  operationName: string | null;
  /** GraphQL root fields, one entry per selection (aliases counted separately). */
  graphqlFields: string[];
  status: number;
  bytesIn: number;
  bytesOut: number;
  faulted: boolean;
}

export class RequestLog {
  readonly records: RequestRecord[] = [];

  add(record: RequestRecord): void {
    this.records.push(record);
  }

  /**
   * Number of requests for a key: a REST template ("GET /repos/{owner}/{repo}"),
   * "POST /graphql", "graphql:<rootField>" (selections across all requests) or
   * "graphql operation:<name>".
   */
  count(key: string): number {
    if (key.startsWith('graphql:')) {
      const field = key.slice('graphql:'.length);
      return this.records.reduce((n, r) => n + r.graphqlFields.filter((f) => f === field).length, 0);
    }
    if (key.startsWith('graphql operation:')) {
      const name = key.slice('graphql operation:'.length);
      return this.records.filter((r) => r.operationName === name).length;
    }
    return this.records.filter((r) => r.route === key).length;
  }

  /** All keys with their counts (REST/GraphQL routes and GraphQL root fields). */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const record of this.records) {
      out[record.route] = (out[record.route] ?? 0) + 1;
      for (const field of record.graphqlFields) out[`graphql:${field}`] = (out[`graphql:${field}`] ?? 0) + 1;
    }
    return out;
  }

  get total(): number {
    return this.records.length;
  }

  get bytesIn(): number {
    return this.records.reduce((n, r) => n + r.bytesIn, 0);
  }

  get bytesOut(): number {
    return this.records.reduce((n, r) => n + r.bytesOut, 0);
  }

  reset(): void {
    this.records.length = 0;
  }
}
