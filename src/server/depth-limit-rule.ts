import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext, type ValidationRule } from "graphql";

/**
 * Refuses an operation whose fields nest deeper than `maxDepth` (a root field is depth 1),
 * following fragments. Introspection (__schema, __type) is not counted: tools need it whole.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const depth = depthOf(context, operation.selectionSet, new Set());
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(`Query is too deep: depth ${depth} exceeds the limit of ${maxDepth}`, {
            nodes: [operation],
            extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit: "maxDepth", maxDepth, depth },
          }),
        );
      }
    },
  });
}

function depthOf(context: ValidationContext, selectionSet: SelectionSetNode, fragments: Set<string>): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === "__schema" || selection.name.value === "__type") continue;
      const below = selection.selectionSet ? depthOf(context, selection.selectionSet, fragments) : 0;
      deepest = Math.max(deepest, 1 + below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(context, selection.selectionSet, fragments));
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      // A cycle is NoFragmentCyclesRule's to report; here it only must not loop.
      if (!fragment || fragments.has(name)) continue;
      deepest = Math.max(deepest, depthOf(context, fragment.selectionSet, new Set([...fragments, name])));
    }
  }
  return deepest;
}
