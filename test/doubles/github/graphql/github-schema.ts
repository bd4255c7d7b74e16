/** GitHub's public GraphQL schema (@octokit/graphql-schema), built once per process on first use. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';

let schema: GraphQLSchema | undefined;

export function githubSchema(): GraphQLSchema {
  if (!schema) {
    const require = createRequire(import.meta.url);
    // The package exports only an "import" entry, so find its folder along node's lookup paths.
    const file = (require.resolve.paths('@octokit/graphql-schema') ?? [])
      .map((dir) => join(dir, '@octokit', 'graphql-schema', 'schema.graphql'))
      .find((candidate) => existsSync(candidate));
    if (!file) throw new Error('@octokit/graphql-schema is not installed (needed by the GitHub double)');
    schema = buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true });
  }
  return schema;
}
