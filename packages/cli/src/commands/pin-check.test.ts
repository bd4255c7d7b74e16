import { describe, expect, it } from 'vitest';
import { defaultJobs } from './pin-check.ts';

describe('defaultJobs', () => {
  it.each([
    [1, 1],
    [2, 1],
    [3, 1],
    [4, 4],
    [6, 6],
    [8, 8],
    [64, 8],
  ])('%i CPUs -> %i scanner thread(s)', (cpus, jobs) => {
    expect(defaultJobs(cpus)).toBe(jobs);
  });
});
