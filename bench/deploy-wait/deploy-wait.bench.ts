/**
 * deploy-wait benchmark: Argo CD requests per minute of waiting. The real
 * polling loop and REST client run against the Argo CD double on a virtual
 * clock (sleeps advance it, nothing really waits), for an application that
 * stays Progressing for ten minutes and then turns Healthy, and prints one row
 * per poll setting beside a fixed-interval poller. Then it times one real poll.
 * Run: `npx vitest bench --run bench/deploy-wait`.
 */
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { ArgoCdClient, staticTokenSource, waitForApplications, type WaitClock } from '@slipway/argocd';
import { createHttpTransport } from '@slipway/core';
import { startArgoCdDouble, type ArgoCdDouble } from '../../test/doubles/argocd/server.ts';
import type { Stage } from '../../test/doubles/argocd/app-script.ts';

const REV = '4444444444444444444444444444444444444444';
const MINUTE = 60_000;
const PROGRESSING_MS = 10 * MINUTE;
const SOAK_MS = 2 * MINUTE;

let argo: ArgoCdDouble;
let client: ArgoCdClient;

/** An app Progressing until the virtual clock passes `until`, then Healthy. */
function scriptedApp(name: string, clock: WaitClock, until: number): void {
  const done: Stage = {
    compared: [REV],
    sync: 'Synced',
    health: 'Healthy',
    operation: { revisions: [REV], phase: 'Succeeded' },
  };
  argo.addApp({
    name,
    stages: [{ ...done, health: 'Progressing', holdUntil: { when: () => clock.now() >= until } }, done],
  });
}

function virtualClock(): WaitClock {
  let now = 0;
  return { now: () => now, sleep: (ms) => ((now += ms), Promise.resolve()) };
}

async function measure(label: string, pollMs: number, maxPollMs: number): Promise<string> {
  const clock = virtualClock();
  const name = `bench-${pollMs}-${maxPollMs}`;
  scriptedApp(name, clock, PROGRESSING_MS);
  const c = new ArgoCdClient({
    server: argo.url,
    http: createHttpTransport({ userAgent: 'bench', timeoutMs: 10_000 }),
    auth: staticTokenSource([...argo.tokens][0]!),
  });
  await waitForApplications({
    client: c,
    applications: [name],
    revision: REV,
    timeoutMs: 60 * MINUTE,
    soakMs: SOAK_MS,
    pollMs,
    maxPollMs,
    clock,
  });
  const minutes = clock.now() / MINUTE;
  return `| ${label} | ${(pollMs / 1000).toFixed(0)}s / ${(maxPollMs / 1000).toFixed(0)}s | ${minutes.toFixed(1)} | ${c.requests} | ${(c.requests / minutes).toFixed(1)} | ${c.notModified} |`;
}

beforeAll(async () => {
  argo = await startArgoCdDouble();
  client = new ArgoCdClient({
    server: argo.url,
    http: createHttpTransport({ userAgent: 'bench', timeoutMs: 10_000 }),
    auth: staticTokenSource([...argo.tokens][0]!),
  });
  argo.addApp({
    name: 'timed',
    stages: [
      {
        compared: [REV],
        sync: 'Synced',
        health: 'Healthy',
        operation: { revisions: [REV], phase: 'Succeeded' },
      },
    ],
  });
  const rows = [
    await measure('fixed interval (no backoff)', 5000, 5000),
    await measure('default (backoff)', 5000, 30_000),
    await measure('patient', 10_000, 60_000),
  ];
  console.log(
    [
      '',
      `App Progressing for ${PROGRESSING_MS / MINUTE} min, then Healthy; soak ${SOAK_MS / MINUTE} min (virtual clock, real HTTP to the double).`,
      '',
      '| poller | poll / max | minutes waited | requests | requests per minute | 304 Not Modified |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
});
afterAll(() => argo.close());

describe('deploy-wait', () => {
  bench('one conditional poll of an unchanged application', async () => {
    await client.getApplication('timed');
  });
});
