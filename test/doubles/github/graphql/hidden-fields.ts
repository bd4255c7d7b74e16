/**
 * A validation rule that makes chosen schema fields look absent, e.g.
 * `Mutation.createCommitOnBranch` to act like a GitHub Enterprise Server that
 * predates it. The error text is graphql-js' own for an unknown field, so it is
 * mapped to GitHub's `undefinedField` shape like any other unknown field.
 */
import { GraphQLError, getNamedType, type ValidationRule } from 'graphql';

export function hiddenFieldsRule(hidden: ReadonlySet<string>): ValidationRule {
  return (context) => ({
    Field(node) {
      const parent = context.getParentType();
      if (!parent) return;
      const typeName = getNamedType(parent).name;
      if (hidden.has(`${typeName}.${node.name.value}`)) {
        context.reportError(
          new GraphQLError(`Cannot query field "${node.name.value}" on type "${typeName}".`, { nodes: node }),
        );
      }
    },
  });
}
