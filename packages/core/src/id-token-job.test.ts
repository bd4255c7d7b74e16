import { describe, expect, it } from 'vitest';
import { jobCanMintIdToken } from './id-token-job.ts';

describe('jobCanMintIdToken', () => {
  it('is true for any non-empty ACTIONS_ID_TOKEN_REQUEST_URL, even blank-looking, and false when unset or empty', () => {
    expect(jobCanMintIdToken({ ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/token' })).toBe(true);
    expect(jobCanMintIdToken({ ACTIONS_ID_TOKEN_REQUEST_URL: ' ' })).toBe(true);
    expect(jobCanMintIdToken({ ACTIONS_ID_TOKEN_REQUEST_URL: '' })).toBe(false);
    expect(jobCanMintIdToken({})).toBe(false);
  });
});
