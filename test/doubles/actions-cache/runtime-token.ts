/**
 * ACTIONS_RUNTIME_TOKEN for the cache double: a JWT (HS256, signed with a key
 * that only the double holds) shaped like the runner's. The cache scopes are in
 * the `ac` claim, a JSON array of `{ Scope, Permission }` where Permission is a
 * bit set (1 read, 2 write): the run's own ref is read-write, and a feature
 * branch can also read the default branch. @actions/cache only sends the token
 * as a bearer credential; the service is the one that reads the scopes, so the
 * double verifies the signature and expiry and takes the scopes from it.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export const READ = 1;
export const WRITE = 2;

export interface CacheScope {
  /** A git ref, e.g. refs/heads/main. */
  scope: string;
  /** READ, WRITE or READ | WRITE. */
  permission: number;
}

export interface TokenClaims {
  scopes: CacheScope[];
  runId: string;
}

export class RuntimeTokens {
  private readonly key = randomBytes(32);

  /**
   * A token for a run on `scopes` (first writable scope is where saves go), valid for `ttlSeconds`;
   * `scp` names the run and job (`Actions.Results:<runId>:<jobId>`, job `build` by default).
   */
  async mint(
    scopes: CacheScope[],
    options: { runId?: string; jobId?: string; ttlSeconds?: number } = {},
  ): Promise<string> {
    const runId = options.runId ?? '1000001';
    return new SignJWT({
      ac: JSON.stringify(scopes.map((s) => ({ Scope: s.scope, Permission: s.permission }))),
      scp: `Actions.ExampleScope Actions.Results:${runId}:${options.jobId ?? 'build'}`,
      orchid: runId,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('vstoken.actions.githubusercontent.com')
      .setAudience('vso:actions-cache-double')
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${options.ttlSeconds ?? 3600}s`)
      .sign(this.key);
  }

  /** The claims of a valid bearer token, or undefined for a missing, forged or expired one. */
  async verify(authorization: string | undefined): Promise<TokenClaims | undefined> {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '');
    if (!match?.[1]) return undefined;
    try {
      const { payload } = await jwtVerify(match[1], this.key, {
        issuer: 'vstoken.actions.githubusercontent.com',
        audience: 'vso:actions-cache-double',
      });
      const raw = JSON.parse(String(payload.ac ?? '[]')) as { Scope: string; Permission: number }[];
      return {
        scopes: raw.map((s) => ({ scope: s.Scope, permission: s.Permission })),
        runId: String(payload.orchid ?? ''),
      };
    } catch {
      return undefined;
    }
  }
}
