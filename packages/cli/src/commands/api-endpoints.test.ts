import { describe, expect, it } from 'vitest';
import { UsageError } from '../io.ts';
import { apiEndpoints } from './pin-check.ts';

const GHES_ENV = {
  GITHUB_API_URL: 'https://ghes.example.com/api/v3',
  GITHUB_GRAPHQL_URL: 'https://ghes.example.com/api/graphql',
};

describe('slipway pin-check API endpoints', () => {
  it('reads GITHUB_API_URL and GITHUB_GRAPHQL_URL, deriving GraphQL when only the REST base is set', () => {
    expect(apiEndpoints({}, GHES_ENV)).toEqual({
      apiUrl: 'https://ghes.example.com/api/v3',
      graphqlUrl: 'https://ghes.example.com/api/graphql',
    });
    expect(apiEndpoints({}, { GITHUB_API_URL: 'https://ghes.example.com/api/v3' })).toEqual({
      apiUrl: 'https://ghes.example.com/api/v3',
      graphqlUrl: 'https://ghes.example.com/api/graphql',
    });
    expect(apiEndpoints({}, {})).toEqual({
      apiUrl: 'https://api.github.com',
      graphqlUrl: 'https://api.github.com/graphql',
    });
  });

  it('--api-url wins over the environment and GraphQL is derived from it, not taken from the env', () => {
    expect(apiEndpoints({ 'api-url': 'https://api.octo.ghe.com/' }, GHES_ENV)).toEqual({
      apiUrl: 'https://api.octo.ghe.com',
      graphqlUrl: 'https://api.octo.ghe.com/graphql',
    });
    expect(apiEndpoints({ 'api-url': 'https://git.corp/api/v3' }, {})).toEqual({
      apiUrl: 'https://git.corp/api/v3',
      graphqlUrl: 'https://git.corp/api/graphql',
    });
    expect(
      apiEndpoints({ 'api-url': 'https://git.corp/api/v3', 'graphql-url': 'https://gql.corp/graphql' }, {}),
    ).toEqual({ apiUrl: 'https://git.corp/api/v3', graphqlUrl: 'https://gql.corp/graphql' });
    expect(apiEndpoints({ 'graphql-url': 'https://gql.corp/graphql' }, GHES_ENV)).toEqual({
      apiUrl: 'https://ghes.example.com/api/v3',
      graphqlUrl: 'https://gql.corp/graphql',
    });
  });

  it('refuses a value that is not an http(s) URL, naming the flag', () => {
    expect(() => apiEndpoints({ 'api-url': 'ghes.example.com' }, {})).toThrow(
      new UsageError(
        "--api-url must be an http(s) URL such as https://github.example.com/api/v3, not 'ghes.example.com'",
      ),
    );
    expect(() => apiEndpoints({ 'graphql-url': 'ftp://x/graphql' }, {})).toThrow(/^--graphql-url must be/);
    expect(() => apiEndpoints({ 'api-url': 'https://x/api/v3?a=1' }, {})).toThrow(/^--api-url must be/);
  });
});
