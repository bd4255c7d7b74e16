/**
 * deploy-wait against a self-hosted Argo CD on HTTPS with a private CA: trusted
 * through `ca-bundle`, refused without it (with the fix named, no retries), and
 * accepted with `insecure: true`.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInterceptionCA, type InterceptionCA } from '../doubles/forward-proxy/interception-ca.ts';
import { startArgoCdDouble, type ArgoCdDouble } from '../doubles/argocd/server.ts';
import { cleanRunAction, deployWaitDir, errorOf, scanAndClean } from './support/deploy-wait.ts';

const runAction = cleanRunAction();

const REV = '3333333333333333333333333333333333333333';
let ca: InterceptionCA;
let argo: ArgoCdDouble;
let workspace: string;
let token: string;

beforeAll(async () => {
  ca = await createInterceptionCA();
  argo = await startArgoCdDouble({ tls: await ca.credentialsFor('localhost') });
  token = [...argo.tokens][0]!;
  argo.addApp({
    name: 'tls-app',
    stages: [
      {
        compared: [REV],
        sync: 'Synced',
        health: 'Healthy',
        operation: { revisions: [REV], phase: 'Succeeded' },
      },
    ],
  });
  workspace = mkdtempSync(join(tmpdir(), 'deploy-wait-tls-'));
  copyFileSync(ca.rootFile, join(workspace, 'argocd-ca.pem'));
});
afterAll(async () => {
  await argo.close();
  rmSync(workspace, { recursive: true, force: true });
  rmSync(dirname(ca.rootFile), { recursive: true, force: true });
});

const wait = (inputs: Record<string, string>) =>
  runAction({
    actionDir: deployWaitDir,
    workspace,
    inputs: {
      server: argo.url,
      token,
      applications: 'tls-app',
      revision: REV,
      soak: '0',
      'poll-interval': '20ms',
      ...inputs,
    },
  });

describe('deploy-wait over TLS', () => {
  it('trusts the server through ca-bundle', async () => {
    expect(argo.url.startsWith('https://localhost:')).toBe(true);
    const result = await wait({ 'ca-bundle': 'argocd-ca.pem' });
    expect(errorOf(result)).toBe('');
    expect(result.outputs.result).toBe('healthy');
    scanAndClean(result, [token]);
  });

  it('refuses the private CA without ca-bundle, naming the fix; insecure skips the check', async () => {
    const before = argo.requests.length;
    const refused = await wait({});
    expect(refused.exitCode).toBe(1);
    expect(errorOf(refused)).toContain(`Could not talk to Argo CD at ${argo.url}`);
    expect(errorOf(refused)).toContain('pass its CA certificates in `ca-bundle`');
    expect(argo.requests.length).toBe(before);
    scanAndClean(refused, [token]);
    const insecure = await wait({ insecure: 'true' });
    expect(errorOf(insecure)).toBe('');
    scanAndClean(insecure, [token]);
  });

  it('names a ca-bundle that is not a PEM file', async () => {
    const result = await wait({ 'ca-bundle': 'missing.pem' });
    expect(errorOf(result)).toContain(
      "Input 'ca-bundle' names 'missing.pem', which is not a readable PEM file",
    );
    scanAndClean(result, [token]);
  });
});
