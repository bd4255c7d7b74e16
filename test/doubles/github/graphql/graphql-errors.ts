/**
 * GitHub's GraphQL error shapes: execution errors carry a top-level `type`
 * (NOT_FOUND, STALE_DATA, FORBIDDEN, UNPROCESSABLE...), validation errors carry
 * graphql-ruby's `extensions.code` and a field path starting at the operation.
 */
import { visit, type ASTNode, type DocumentNode, type GraphQLError } from 'graphql';

export type GitHubErrorType = 'NOT_FOUND' | 'STALE_DATA' | 'FORBIDDEN' | 'UNPROCESSABLE' | 'INTERNAL';

export class GitHubGraphqlError extends Error {
  constructor(
    readonly type: GitHubErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'GitHubGraphqlError';
  }
}

export interface GitHubErrorJson {
  type?: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  message: string;
  extensions?: Record<string, unknown>;
}

export function executionErrorJson(error: GraphQLError): GitHubErrorJson {
  const original = error.originalError;
  const type = original instanceof GitHubGraphqlError ? original.type : 'INTERNAL';
  const json: GitHubErrorJson = { type, message: error.message };
  if (error.path) json.path = error.path;
  if (error.locations) json.locations = error.locations.map(({ line, column }) => ({ line, column }));
  return json;
}

/** Path of field names from the operation ("query" / "query Name" / "mutation") to `target`. */
function pathTo(document: DocumentNode, target: ASTNode | undefined): string[] | undefined {
  if (!target) return undefined;
  let found: string[] | undefined;
  visit(document, {
    enter(node, _key, _parent, _path, ancestors) {
      if (node !== target || found) return;
      const chain = [...ancestors, node].filter(
        (a): a is ASTNode => !Array.isArray(a) && typeof a === 'object',
      );
      found = [];
      for (const item of chain) {
        if (item.kind === 'OperationDefinition')
          found.push(item.name ? `${item.operation} ${item.name.value}` : item.operation);
        else if (item.kind === 'FragmentDefinition') found.push(`fragment ${item.name.value}`);
        else if (item.kind === 'Field') found.push(item.name.value);
      }
    },
  });
  return found;
}

/** Maps graphql-js validation messages to graphql-ruby's (GitHub's) messages and codes. */
export function validationErrorJson(error: GraphQLError, document: DocumentNode): GitHubErrorJson {
  const base = {
    locations: (error.locations ?? []).map(({ line, column }) => ({ line, column })),
    path: pathTo(document, error.nodes?.[0]),
  };
  let match = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(error.message);
  if (match) {
    return {
      ...base,
      extensions: { code: 'undefinedField', typeName: match[2], fieldName: match[1] },
      message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`,
    };
  }
  match = /^Unknown argument "(.+?)" on field "(.+?)\.(.+?)"\./.exec(error.message);
  if (match) {
    return {
      ...base,
      extensions: { code: 'argumentNotAccepted', name: match[3], typeName: 'Field', argumentName: match[1] },
      message: `Field '${match[3]}' doesn't accept argument '${match[1]}'`,
    };
  }
  match = /^Field "(.+?)" argument "(.+?)" of type ".+?" is required, but it was not provided\./.exec(
    error.message,
  );
  if (match) {
    return {
      ...base,
      extensions: {
        code: 'missingRequiredArguments',
        className: 'Field',
        name: match[1],
        arguments: match[2],
      },
      message: `Field '${match[1]}' is missing required arguments: ${match[2]}`,
    };
  }
  return { ...base, extensions: { code: 'validationError' }, message: error.message };
}
