import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreProcessState, snapshotProcessState } from './process-state.ts';

describe('restoreProcessState', () => {
  const start = snapshotProcessState();
  afterEach(() => restoreProcessState(start));

  it('deletes added variables, puts back changed and deleted ones, and keeps the env object', () => {
    process.env.SLIPWAY_STATE_KEEP = 'kept';
    process.env.SLIPWAY_STATE_GONE = 'there';
    const state = snapshotProcessState();
    const envObject = process.env;
    process.env.SLIPWAY_STATE_ADDED = 'new';
    process.env.SLIPWAY_STATE_KEEP = 'changed';
    delete process.env.SLIPWAY_STATE_GONE;
    restoreProcessState(state);
    expect(process.env).toBe(envObject);
    expect(process.env.SLIPWAY_STATE_ADDED).toBeUndefined();
    expect(process.env.SLIPWAY_STATE_KEEP).toBe('kept');
    expect(process.env.SLIPWAY_STATE_GONE).toBe('there');
  });

  it('puts the original env object back when a test assigned a new one', () => {
    const state = snapshotProcessState();
    const envObject = process.env;
    process.env = { ...process.env, SLIPWAY_STATE_REPLACED: '1' };
    restoreProcessState(state);
    expect(process.env).toBe(envObject);
    expect(process.env.SLIPWAY_STATE_REPLACED).toBeUndefined();
  });

  it('goes back to the working directory and exit code of the snapshot', () => {
    const state = snapshotProcessState();
    const dir = mkdtempSync(join(tmpdir(), 'process-state-'));
    try {
      process.chdir(dir);
      process.exitCode = 1;
      restoreProcessState(state);
      expect(process.cwd()).toBe(state.cwd);
      expect(process.exitCode).toBe(state.exitCode);
      expect(realpathSync(process.cwd())).not.toBe(realpathSync(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
