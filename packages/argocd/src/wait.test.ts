/**
 * The polling loop against the Argo CD double through the real client and
 * transport, on a fake clock: the sleeps it asks for show the backoff, its cap,
 * the soak end and the deadline, with no real waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport } from '@slipway/core';
import { deployment } from '../../../test/doubles/argocd/app-script.ts';
import { startArgoCdDouble, type ArgoCdDouble } from '../../../test/doubles/argocd/server.ts';
import { ArgoCdClient } from './argocd-client.ts';
import { staticTokenSource } from './dex-token.ts';
import { waitForApplications, type WaitClock } from './wait.ts';

const OLD = 'c'.repeat(40);
const NEW = 'd'.repeat(40);
let argo: ArgoCdDouble;

beforeAll(async () => {
  argo = await startArgoCdDouble();
});
afterAll(() => argo.close());

function fakeClock(): WaitClock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

function client(): ArgoCdClient {
  return new ArgoCdClient({
    server: argo.url,
    http: createHttpTransport({ userAgent: 'test', timeoutMs: 5000 }),
    auth: staticTokenSource([...argo.tokens][0]!),
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
}

const healthy = {
  compared: [NEW],
  sync: 'Synced' as const,
  health: 'Healthy' as const,
  operation: { revisions: [NEW], phase: 'Succeeded' as const },
};

describe('waitForApplications', () => {
  it('backs off while nothing changes, up to the cap, and resets when something does', async () => {
    argo.addApp({
      name: 'backoff',
      stages: [
        { ...healthy, compared: [OLD], operation: { revisions: [OLD], phase: 'Succeeded' }, polls: 4 },
        { ...healthy, health: 'Progressing', polls: 3 },
        healthy,
      ],
    });
    const clock = fakeClock();
    const [result] = await waitForApplications({
      client: client(),
      applications: ['backoff'],
      revision: NEW,
      timeoutMs: 600_000,
      soakMs: 0,
      pollMs: 1000,
      maxPollMs: 5000,
      clock,
    });
    expect(result!.outcome).toBe('healthy');
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 5000, 1000, 2000, 4000]);
  });

  it('sleeps no further than the end of the soak, and the deadline ends the wait', async () => {
    argo.addApp({ name: 'soaker', stages: [healthy] });
    const clock = fakeClock();
    const c = client();
    const [ok] = await waitForApplications({
      client: c,
      applications: ['soaker'],
      revision: NEW,
      timeoutMs: 600_000,
      soakMs: 2500,
      pollMs: 1000,
      maxPollMs: 60_000,
      clock,
    });
    expect(ok!.outcome).toBe('healthy');
    expect(clock.sleeps).toEqual([1000, 1500]);
    // the unchanged application was answered 304 to the conditional GETs
    expect(c.notModified).toBe(2);

    argo.addApp({ name: 'stuck', stages: deployment(OLD, NEW, [{ ...healthy, health: 'Progressing' }]) });
    const late = fakeClock();
    const [timedOut] = await waitForApplications({
      client: client(),
      applications: ['stuck'],
      revision: NEW,
      timeoutMs: 10_000,
      soakMs: 0,
      pollMs: 1000,
      maxPollMs: 4000,
      clock: late,
    });
    expect(timedOut!.outcome).toBe('timeout');
    expect(late.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(timedOut!.unhealthy.map((r) => r.kind)).toEqual(['Deployment', 'Pod']);
  });
});
