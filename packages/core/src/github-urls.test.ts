import { describe, expect, it } from 'vitest';
import { githubApiUrl, githubServerUrl } from './github-urls.ts';

describe('GitHub URLs from the runner environment', () => {
  it('takes GITHUB_API_URL trimmed, else api.github.com', () => {
    expect(githubApiUrl({ GITHUB_API_URL: ' https://ghes.example/api/v3 ' })).toBe(
      'https://ghes.example/api/v3',
    );
    expect(githubApiUrl({ GITHUB_API_URL: '  ' })).toBe('https://api.github.com');
    expect(githubApiUrl({})).toBe('https://api.github.com');
  });

  it('takes GITHUB_SERVER_URL trimmed and without trailing slashes, else github.com', () => {
    expect(githubServerUrl({ GITHUB_SERVER_URL: 'https://octo.ghe.com//' })).toBe('https://octo.ghe.com');
    expect(githubServerUrl({ GITHUB_SERVER_URL: '' })).toBe('https://github.com');
    expect(githubServerUrl({})).toBe('https://github.com');
  });
});
