/** Types shared by the GraphQL resolver modules. */
import type { DoubleState } from '../rest-route.ts';
import type { Caller } from '../tokens.ts';

export interface GraphqlContext {
  caller: Caller;
  state: DoubleState;
}

// Resolvers receive graphql-js' loosely typed (source, args, context, info).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver = (source: any, args: any, context: GraphqlContext) => unknown;

export type Resolvers = Record<string, Record<string, Resolver>>;
