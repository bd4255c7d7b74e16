/**
 * POST /graphql: parse, validate against GitHub's schema, execute with the
 * resolvers of this folder, and answer in GitHub's shapes.
 */
import {
  defaultFieldResolver,
  execute,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type OperationDefinitionNode,
} from 'graphql';
import type { FaultSpec } from '../faults.ts';
import type { DoubleState } from '../rest-route.ts';
import type { Caller } from '../tokens.ts';
import { executionErrorJson, GitHubGraphqlError, validationErrorJson } from './graphql-errors.ts';
import { githubSchema } from './github-schema.ts';
import { hiddenFieldsRule } from './hidden-fields.ts';
import { objectResolvers } from './object-nodes.ts';
import { repositoryResolvers } from './repository-resolvers.ts';
import { pullRequestResolvers } from './pull-request-resolvers.ts';
import { mutationResolvers } from './mutation-resolvers.ts';
import { releaseResolvers } from './release-resolvers.ts';
import { advisoryResolvers } from './advisory-resolvers.ts';
import type { GraphqlContext, Resolvers } from './resolver-types.ts';

const resolverModules: Resolvers[] = [
  repositoryResolvers,
  objectResolvers,
  pullRequestResolvers,
  mutationResolvers,
  releaseResolvers,
  advisoryResolvers,
];

function findResolver(typeName: string, fieldName: string) {
  for (const module of resolverModules) {
    const resolver = module[typeName]?.[fieldName];
    if (resolver) return resolver;
  }
  return undefined;
}

const fieldResolver: GraphQLFieldResolver<unknown, GraphqlContext> = (source, args, context, info) => {
  const resolver = findResolver(info.parentType.name, info.fieldName);
  if (resolver) return resolver(source, args, context);
  return defaultFieldResolver(source, args, context, info);
};

interface GraphqlBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

function selectedOperation(
  document: DocumentNode,
  operationName: string | null,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
}

/** Operation name and root fields (one per selection, aliases separately) for counters and faults. */
export function graphqlRequestSummary(raw: Buffer): { operationName: string | null; fields: string[] } {
  try {
    const body = JSON.parse(raw.toString('utf8')) as GraphqlBody;
    const document = parse(String(body.query));
    const name = typeof body.operationName === 'string' ? body.operationName : null;
    const operation = selectedOperation(document, name);
    const fields = (operation?.selectionSet.selections ?? []).flatMap((s) =>
      s.kind === Kind.FIELD ? [s.name.value] : [],
    );
    return { operationName: operation?.name?.value ?? name, fields };
  } catch {
    return { operationName: null, fields: [] };
  }
}

export async function handleGraphql(
  raw: Buffer,
  caller: Caller,
  state: DoubleState,
  faults: FaultSpec[],
): Promise<{ status: number; body: unknown }> {
  let body: GraphqlBody;
  try {
    body = JSON.parse(raw.toString('utf8')) as GraphqlBody;
  } catch {
    return {
      status: 400,
      body: { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' },
    };
  }
  if (typeof body.query !== 'string') {
    return {
      status: 200,
      body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] },
    };
  }
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    const e = error as GraphQLError;
    return { status: 200, body: { errors: [{ message: e.message, locations: e.locations ?? [] }] } };
  }
  const schema = githubSchema();
  const rules =
    state.hiddenGraphqlFields.size > 0
      ? [...specifiedRules, hiddenFieldsRule(state.hiddenGraphqlFields)]
      : specifiedRules;
  const validationErrors = validate(schema, document, rules);
  if (validationErrors.length > 0) {
    return { status: 200, body: { errors: validationErrors.map((e) => validationErrorJson(e, document)) } };
  }
  const operation = selectedOperation(
    document,
    typeof body.operationName === 'string' ? body.operationName : null,
  );
  const result = await execute({
    schema,
    document,
    contextValue: {
      caller,
      state,
      refSnapshots: operation?.operation === 'query' ? new Map() : null,
    } satisfies GraphqlContext,
    variableValues: (body.variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
    fieldResolver,
    typeResolver: (value) => (value as { __typename?: string }).__typename,
  });
  const errors = (result.errors ?? []).map((error) => {
    if (error.message.startsWith('Cannot return null for non-nullable field')) {
      // A field GitHub always answers that the double has no resolver for: fail loudly (recorded as a violation).
      throw new Error(`GitHub double does not implement ${error.message.replace(/^.* field /, '')}`);
    }
    if (error.originalError && !(error.originalError instanceof GitHubGraphqlError)) {
      throw error.originalError;
    }
    return error.originalError ? executionErrorJson(error) : validationErrorJson(error, document);
  });
  let data: unknown = result.data ?? null;
  for (const fault of faults) if (fault.transformResponse) data = fault.transformResponse(data);
  return { status: 200, body: errors.length > 0 ? { data, errors } : { data } };
}
