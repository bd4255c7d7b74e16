import { describe, expect, it } from 'vitest';
import type { Application, ApplicationStatus } from './application.ts';
import { assessApplication, describeResource, unhealthyResources } from './assess.ts';

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);

function app(status: ApplicationStatus): Application {
  return { metadata: { name: 'web' }, status };
}

const deployed = (overrides: Partial<ApplicationStatus> = {}): ApplicationStatus => ({
  sync: { status: 'Synced', revision: NEW },
  health: { status: 'Healthy' },
  operationState: {
    phase: 'Succeeded',
    startedAt: '2026-01-01T10:00:00Z',
    finishedAt: '2026-01-01T10:00:10Z',
    syncResult: { revision: NEW },
  },
  reconciledAt: '2026-01-01T10:00:10Z',
  ...overrides,
});

describe('assessApplication', () => {
  it('is healthy when synced at the revision, the sync succeeded and health was re-read after it', () => {
    expect(assessApplication(app(deployed()), NEW)).toEqual({
      state: 'healthy',
      reason: 'Synced at bbbbbbbbbbbb and Healthy',
    });
  });

  it('accepts an abbreviated expected SHA but not a different commit', () => {
    expect(assessApplication(app(deployed()), NEW.slice(0, 7)).state).toBe('healthy');
    expect(assessApplication(app(deployed()), OLD).state).toBe('waiting');
  });

  it('accepts a revision known to contain the expected one', () => {
    const later = 'e'.repeat(40);
    const status = deployed({
      sync: { status: 'Synced', revision: later },
      operationState: { ...deployed().operationState, syncResult: { revision: later } },
    });
    expect(assessApplication(app(status), NEW).state).toBe('waiting');
    expect(assessApplication(app(status), NEW, new Set([later])).state).toBe('healthy');
  });

  it('waits while Argo CD still compares the old revision, however healthy', () => {
    const verdict = assessApplication(app(deployed({ sync: { status: 'Synced', revision: OLD } })), NEW);
    expect(verdict).toEqual({
      state: 'waiting',
      reason: 'Argo CD has compared aaaaaaaaaaaa, not bbbbbbbbbbbb yet',
    });
  });

  it('does not trust Healthy read before the operation finished (stale reconciledAt)', () => {
    const verdict = assessApplication(app(deployed({ reconciledAt: '2026-01-01T10:00:05Z' })), NEW);
    expect(verdict.state).toBe('waiting');
    expect(verdict.reason).toContain('health not re-read since the sync finished');
  });

  it('waits for OutOfSync, a running operation, or the last operation being for another revision', () => {
    expect(
      assessApplication(app(deployed({ sync: { status: 'OutOfSync', revision: NEW } })), NEW).reason,
    ).toBe('sync status is OutOfSync');
    const running = deployed({
      operationState: { phase: 'Running', operation: { sync: { revision: NEW } } },
    });
    expect(assessApplication(app(running), NEW).reason).toBe('the sync operation of bbbbbbbbbbbb is Running');
    const older = deployed({ operationState: { phase: 'Succeeded', syncResult: { revision: OLD } } });
    expect(assessApplication(app(older), NEW).reason).toBe(
      'the last sync operation was for aaaaaaaaaaaa, not bbbbbbbbbbbb',
    );
    expect(assessApplication(app(deployed({ operationState: undefined })), NEW).state).toBe('waiting');
  });

  it('fails a failed or errored sync of the revision, but not one of an older revision', () => {
    const failedOp = (revision: string) =>
      deployed({ operationState: { phase: 'Failed', message: 'hook failed', syncResult: { revision } } });
    expect(assessApplication(app(failedOp(NEW)), NEW)).toEqual({
      state: 'failed',
      reason: 'the sync of bbbbbbbbbbbb ended Failed: hook failed',
    });
    expect(assessApplication(app(failedOp(OLD)), NEW).state).toBe('waiting');
  });

  it('fails Degraded and Missing read after the sync; waits on Progressing and Suspended', () => {
    const withHealth = (status: string) => assessApplication(app(deployed({ health: { status } })), NEW);
    expect(withHealth('Degraded').state).toBe('failed');
    expect(withHealth('Missing').state).toBe('failed');
    expect(withHealth('Progressing').state).toBe('waiting');
    expect(withHealth('Suspended').state).toBe('waiting');
    // Degraded before the new revision is compared is the old version's problem: keep waiting
    const oldDegraded = deployed({
      sync: { status: 'Synced', revision: OLD },
      health: { status: 'Degraded' },
    });
    expect(assessApplication(app(oldDegraded), NEW).state).toBe('waiting');
  });

  it('uses revisions[] for a multi-source app', () => {
    const multi = deployed({
      sync: { status: 'Synced', revisions: ['1.2.3', NEW] },
      operationState: { ...deployed().operationState, syncResult: { revisions: ['1.2.3', NEW] } },
    });
    expect(assessApplication(app(multi), NEW).state).toBe('healthy');
    const notYet = { ...multi, sync: { status: 'Synced', revisions: ['1.2.3', OLD] } };
    expect(assessApplication(app(notYet), NEW).reason).toBe(
      'Argo CD has compared 1.2.3, aaaaaaaaaaaa, not bbbbbbbbbbbb yet',
    );
  });
});

describe('unhealthyResources', () => {
  it('lists the resources whose health is known and not Healthy, parents first', () => {
    const resources = unhealthyResources({
      nodes: [
        {
          kind: 'Pod',
          namespace: 'web',
          name: 'web-1',
          health: { status: 'Degraded', message: 'CrashLoopBackOff' },
          parentRefs: [{}],
        },
        { kind: 'ConfigMap', namespace: 'web', name: 'cfg' },
        { kind: 'Service', namespace: 'web', name: 'web', health: { status: 'Healthy' } },
        { kind: 'Deployment', namespace: 'web', name: 'web', health: { status: 'Progressing' } },
      ],
    });
    expect(resources.map(describeResource)).toEqual([
      'Deployment web/web Progressing',
      'Pod web/web-1 Degraded (CrashLoopBackOff)',
    ]);
  });
});
