// The entry point `@slipway/oidc/id-token`: minting GitHub's OIDC token and reading its claims, without the
// cloud logins (the AWS signer and STS XML parser), for callers that exchange the token elsewhere
// (deploy-wait's Dex exchange).
export * from './http-endpoint.ts';
export * from './github-id-token.ts';
export * from './jwt-claims.ts';
