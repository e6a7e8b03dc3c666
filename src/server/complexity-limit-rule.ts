import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isInterfaceType,
  isObjectType,
  type ASTVisitor,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";

export interface ComplexityLimitOptions {
  maxComplexity: number;
  /** What a page-size argument given as a variable without a default counts as (validation sees no variable values). */
  maxPageSize: number;
  /** What a page-size argument left out counts as when the schema declares no default. */
  defaultPageSize: number;
}

/** Arguments that say how many items a list field returns. */
const PAGE_SIZE_ARGUMENTS = new Set(["first", "last", "limit"]);

/**
 * Each field costs 1, and a field with a page-size argument (`first`…) multiplies the cost of
 * the lists selected under it by that size: calls(first: 200) { totalCount edges { node { 20 fields } } }
 * costs 1 + 1 + 200 × 22. Aliases count each time, so repeating a field does not get around it.
 */
export function complexityLimitRule(options: ComplexityLimitOptions): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const root = context.getSchema().getRootType(operation.operation);
      if (!root) return;
      const cost = costOf(context, operation, { type: root, page: 1, isList: false }, operation.selectionSet, new Set(), options);
      if (cost > options.maxComplexity) {
        context.reportError(
          new GraphQLError(`Query is too complex: complexity ${cost} exceeds the limit of ${options.maxComplexity}`, {
            nodes: [operation],
            extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit: "maxComplexity", maxComplexity: options.maxComplexity, complexity: cost },
          }),
        );
      }
    },
  });
}

/** What a selection under a field costs; `page` is that field's page size, spent on the list-typed fields below it. */
interface Scope {
  type: GraphQLNamedType;
  page: number;
  /** The field itself returns the list the page sizes (rather than a connection holding it). */
  isList: boolean;
}

function costOf(
  context: ValidationContext,
  operation: OperationDefinitionNode,
  scope: Scope,
  selectionSet: SelectionSetNode,
  fragments: Set<string>,
  options: ComplexityLimitOptions,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith("__")) continue;
      const parent = scope.type;
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      if (!field) continue;
      const isList = isListType(getNullableType(field.type));
      const below = selection.selectionSet
        ? costOf(context, operation, { type: getNamedType(field.type), page: pageSize(operation, selection, field, options), isList }, selection.selectionSet, fragments, options)
        : 0;
      // A connection's totalCount or pageInfo is one value; its edges are `page` of them.
      cost += (scope.isList || isList ? scope.page : 1) * (1 + below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeName = selection.typeCondition?.name.value;
      const type = typeName ? context.getSchema().getType(typeName) : scope.type;
      if (type) cost += costOf(context, operation, { ...scope, type }, selection.selectionSet, fragments, options);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || fragments.has(name)) continue;
      const type = context.getSchema().getType(fragment.typeCondition.name.value);
      if (type) cost += costOf(context, operation, { ...scope, type }, fragment.selectionSet, new Set([...fragments, name]), options);
    }
  }
  return cost;
}

function pageSize(operation: OperationDefinitionNode, node: FieldNode, field: GraphQLField<unknown, unknown>, options: ComplexityLimitOptions): number {
  const declared = field.args.find((arg) => PAGE_SIZE_ARGUMENTS.has(arg.name));
  if (!declared) return 1;
  const given = node.arguments?.find((arg) => arg.name.value === declared.name)?.value;
  if (given?.kind === Kind.INT) return Math.max(0, Number.parseInt(given.value, 10));
  if (given?.kind === Kind.VARIABLE) {
    const variable = operation.variableDefinitions?.find((v) => v.variable.name.value === given.name.value);
    return variable?.defaultValue?.kind === Kind.INT ? Math.max(0, Number.parseInt(variable.defaultValue.value, 10)) : options.maxPageSize;
  }
  if (given === undefined || given.kind === Kind.NULL) return typeof declared.defaultValue === "number" ? declared.defaultValue : options.defaultPageSize;
  return options.maxPageSize;
}
