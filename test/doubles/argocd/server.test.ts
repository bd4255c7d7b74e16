import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArgoCdDouble, type ArgoCdDouble } from './server.ts';
import { deployment } from './app-script.ts';
import { validateResponse } from './swagger-validator.ts';

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
let argo: ArgoCdDouble;
let token: string;

beforeAll(async () => {
  argo = await startArgoCdDouble();
  token = [...argo.tokens][0]!;
  argo.addApp({ name: 'web', labels: { team: 'pay' }, stages: deployment(OLD, NEW) });
  argo.addApp({
    name: 'canary',
    stages: [
      {
        compared: [NEW],
        sync: 'Synced',
        health: 'Suspended',
        operation: { revisions: [NEW], phase: 'Succeeded' },
        rollout: { phase: 'Paused', stepIndex: 1, totalSteps: 4, weight: 20, paused: 'CanaryPauseStep' },
        holdUntil: { action: 'resume' },
      },
      {
        compared: [NEW],
        sync: 'Synced',
        health: 'Healthy',
        operation: { revisions: [NEW], phase: 'Succeeded' },
      },
    ],
  });
});
afterAll(() => argo.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${argo.url}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });

describe('Argo CD double', () => {
  it('walks the scripted stages one GET at a time and answers 304 to an unchanged stage', async () => {
    const phases: string[] = [];
    let etag = '';
    for (let i = 0; i < 8; i++) {
      const response = await get('/api/v1/applications/web', etag ? { 'If-None-Match': etag } : {});
      if (response.status === 304) {
        phases.push('304');
        continue;
      }
      etag = response.headers.get('etag') ?? '';
      const app = (await response.json()) as {
        status: { sync: { status: string }; health: { status: string } };
      };
      phases.push(`${app.status.sync.status}/${app.status.health.status}`);
    }
    expect(phases).toEqual([
      'Synced/Healthy',
      'OutOfSync/Healthy',
      'OutOfSync/Healthy',
      'Synced/Healthy',
      '304',
      'Synced/Progressing',
      'Synced/Healthy',
      '304',
    ]);
    expect(argo.violations).toEqual([]);
  });

  it('lists by label selector, serves the tree and the Rollout, and runs the resume action', async () => {
    const list = (await (await get('/api/v1/applications?selector=team%3Dpay')).json()) as {
      items: unknown[];
    };
    expect(list.items).toHaveLength(1);
    const tree = (await (await get('/api/v1/applications/canary/resource-tree')).json()) as {
      nodes: { kind: string; health?: { status: string } }[];
    };
    expect(tree.nodes.find((n) => n.kind === 'Rollout')?.health?.status).toBe('Suspended');
    const query = 'namespace=canary&resourceName=canary&version=v1alpha1&group=argoproj.io&kind=Rollout';
    const resource = (await (await get(`/api/v1/applications/canary/resource?${query}`)).json()) as {
      manifest: string;
    };
    expect(JSON.parse(resource.manifest).status.currentStepIndex).toBe(1);
    const action = await fetch(`${argo.url}/api/v1/applications/canary/resource/actions?${query}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify('resume'),
    });
    expect(action.status).toBe(200);
    expect(argo.app('canary').actions).toEqual(['resume']);
  });

  it('refuses a missing or unknown token with 401 and an unknown app with 404, in runtimeError shape', async () => {
    const anonymous = await fetch(`${argo.url}/api/v1/applications/web`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 16 });
    const missing = await get('/api/v1/applications/nope');
    expect(missing.status).toBe(404);
    argo.forbidden.add('web');
    expect((await get('/api/v1/applications/web')).status).toBe(403);
    argo.forbidden.delete('web');
    argo.faults.push({ kind: 'status', route: 'app', status: 503 });
    expect((await get('/api/v1/applications/web')).status).toBe(503);
  });

  it('rejects responses that break swagger.json', () => {
    const bad = validateResponse('GET', '/api/v1/applications/{name}', 200, {
      status: { sync: { revisions: 'x' } },
    });
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('/status/sync/revisions');
  });
});
