/**
 * Stand-in for actions/create-github-app-token. The GitHub API double has no
 * GitHub App endpoints, so instead of a JWT exchange the stand-in checks the app id
 * and private key against the app the test registered and mints an installation-like
 * token in the double's token registry, scoped as the inputs ask: the repositories
 * (owner/name) and the permission-* levels. The double then enforces that scope.
 */
import { randomBytes } from 'node:crypto';
import type { PermissionCategory, TokenRegistry } from '../../doubles/github/index.ts';
import { expectKnownInputs, StandInInputError, type StandIn, type StandInCall } from '../stand-in.ts';

const PERMISSIONS: Record<string, PermissionCategory> = {
  'permission-contents': 'contents',
  'permission-pull-requests': 'pull_requests',
  'permission-issues': 'issues',
  'permission-metadata': 'metadata',
};
const INPUTS = [
  'app-id',
  'client-id',
  'private-key',
  'owner',
  'repositories',
  'skip-token-revoke',
  'github-api-url',
  ...Object.keys(PERMISSIONS),
];

export interface AppTokenRecord {
  token: string;
  owner: string;
  repositories: string[];
  permissions: Partial<Record<PermissionCategory, 'read' | 'write'>>;
}

export function createGitHubAppTokenStandIn(app: {
  tokens: TokenRegistry;
  appId: string;
  privateKey: string;
}): { standIn: StandIn; minted: AppTokenRecord[] } {
  const minted: AppTokenRecord[] = [];
  const standIn = (call: StandInCall) => {
    const fail = (message: string) => new StandInInputError(call.uses, message);
    if (Object.keys(call.with).some((k) => k.startsWith('permission-') && !(k in PERMISSIONS)))
      throw fail('not supported by the local runner: a permission the GitHub double does not model');
    expectKnownInputs(call, INPUTS);
    const appId = call.with['app-id'] || call.with['client-id'] || '';
    if (!/^[0-9]+$|^Iv[0-9a-zA-Z.]+$/.test(appId))
      throw fail(`input 'app-id' must be an App ID, got ${JSON.stringify(appId)}`);
    const key = call.with['private-key'] ?? '';
    if (!/^-----BEGIN (RSA )?PRIVATE KEY-----\n[\s\S]+\n-----END (RSA )?PRIVATE KEY-----\n?$/.test(key))
      throw fail("input 'private-key' is not a PEM private key");
    if (appId !== app.appId || key.trim() !== app.privateKey.trim())
      return { failed: 'A JSON web token could not be decoded (app id or private key do not match the app)' };
    const owner = call.with.owner || call.github.repository.split('/')[0] || '';
    if (!/^[A-Za-z0-9-]+$/.test(owner))
      throw fail(`input 'owner' must be an account name, got ${JSON.stringify(owner)}`);
    const names = (call.with.repositories ?? '')
      .split(/[\n,]/)
      .map((r) => r.trim())
      .filter(Boolean);
    if (names.some((n) => !/^[A-Za-z0-9_.-]+$/.test(n)))
      throw fail(
        `input 'repositories' must be repository names without the owner, got ${JSON.stringify(call.with.repositories)}`,
      );
    const permissions: AppTokenRecord['permissions'] = { metadata: 'read' };
    for (const [input, category] of Object.entries(PERMISSIONS)) {
      const level = call.with[input];
      if (level === undefined) continue;
      if (level !== 'read' && level !== 'write')
        throw fail(`input '${input}' must be read or write, got ${JSON.stringify(level)}`);
      permissions[category] = level;
    }
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    const repositories = names.map((n) => `${owner}/${n}`);
    app.tokens.set(token, { permissions, ...(repositories.length > 0 ? { repositories } : {}) });
    minted.push({ token, owner, repositories, permissions });
    return { outputs: { token, 'installation-id': '4242', 'app-slug': 'slipway-bot' }, masks: [token] };
  };
  return { standIn, minted };
}
