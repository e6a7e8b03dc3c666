import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type ASTVisitor,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { introspectionCost } from "./introspection-cost.js";

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
 * costs 1 + 1 + 200 × 22. Every field node counts, aliases each time: `__typename` and fields the
 * schema does not know cost 1 like any other, so repeating a free field does not get around the
 * limit. `__schema` and `__type` cost the number of values they answer with (introspection-cost.ts).
 *
 * A fragment's cost depends on the page of the scope it is spread in, but only as `plain + page ×
 * listed` (or `page × (plain + listed)` under a list), so each fragment's two parts are computed
 * once per operation and every spread reuses them: the work is linear in the operation's size.
 */
export function complexityLimitRule(options: ComplexityLimitOptions): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const schema = context.getSchema();
    let operation: OperationDefinitionNode;
    const fragmentParts = new Map<string, CostParts>();
    // Introspection is counted by walking what it answers, within one budget for the whole document
    // (graphql-js validates every operation of it): past this many steps it is over the limit anyway.
    const introspection = { schema, getFragment: (name: string) => context.getFragment(name), budget: { steps: 2 * (options.maxComplexity + 1) } };

    const partsOf = (type: GraphQLNamedType, selectionSet: SelectionSetNode): CostParts => {
      const parts = { plain: 0, listed: 0 };
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const field = fieldOf(schema, type, selection.name.value);
          if (!field) {
            parts.plain = capped(parts.plain + 1);
            continue;
          }
          if (field === SchemaMetaFieldDef || field === TypeMetaFieldDef) {
            parts.plain = capped(parts.plain + introspectionCost(introspection, selection));
            continue;
          }
          const isList = isListType(getNullableType(field.type));
          const below = selection.selectionSet
            ? costIn({ page: pageSize(operation, selection, field, options), isList }, partsOf(getNamedType(field.type), selection.selectionSet))
            : 0;
          // A connection's totalCount or pageInfo is one value; its edges are `page` of them.
          if (isList) parts.listed = capped(parts.listed + 1 + below);
          else parts.plain = capped(parts.plain + 1 + below);
        } else {
          let inner: CostParts | undefined;
          if (selection.kind === Kind.INLINE_FRAGMENT) {
            const typeName = selection.typeCondition?.name.value;
            const conditionType = typeName ? schema.getType(typeName) : type;
            if (conditionType) inner = partsOf(conditionType, selection.selectionSet);
          } else {
            inner = partsOfFragment(selection.name.value);
          }
          if (inner) {
            parts.plain = capped(parts.plain + inner.plain);
            parts.listed = capped(parts.listed + inner.listed);
          }
        }
      }
      return parts;
    };

    const partsOfFragment = (name: string): CostParts | undefined => {
      const known = fragmentParts.get(name);
      if (known) return known;
      const fragment = context.getFragment(name);
      const type = fragment && schema.getType(fragment.typeCondition.name.value);
      if (!fragment || !type) return undefined;
      // Entered as free before it is costed: a cycle is NoFragmentCyclesRule's to report; here it only must not loop.
      fragmentParts.set(name, { plain: 0, listed: 0 });
      const parts = partsOf(type, fragment.selectionSet);
      fragmentParts.set(name, parts);
      return parts;
    };

    return {
      OperationDefinition(node) {
        const root = schema.getRootType(node.operation);
        if (!root) return;
        operation = node;
        // Fragments may use the operation's variable defaults for page sizes, so their costs are per operation.
        fragmentParts.clear();
        const cost = costIn({ page: 1, isList: false }, partsOf(root, node.selectionSet));
        if (cost > options.maxComplexity) {
          context.reportError(
            new GraphQLError(`Query is too complex: complexity ${cost} exceeds the limit of ${options.maxComplexity}`, {
              nodes: [node],
              extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit: "maxComplexity", maxComplexity: options.maxComplexity, complexity: cost },
            }),
          );
        }
      },
    };
  };
}

/** A selection set's cost, split by what the scope's page multiplies: lists always, single values only under a list. */
interface CostParts {
  /** Fields returning one value (with what is under them). */
  plain: number;
  /** Fields returning a list (with what is under them). */
  listed: number;
}

/** The page size of the field a selection set is under, and whether that field itself returns the list the page sizes. */
interface Scope {
  page: number;
  isList: boolean;
}

function costIn(scope: Scope, parts: CostParts): number {
  return capped(scope.isList ? scope.page * (parts.plain + parts.listed) : parts.plain + scope.page * parts.listed);
}

/** Costs stay finite (a multiplied bomb would reach Infinity, and Infinity × 0 is NaN). */
function capped(cost: number): number {
  return Math.min(cost, Number.MAX_SAFE_INTEGER);
}

/** The field a selection names, the meta fields (__typename, and __schema and __type on the query root) included. */
function fieldOf(schema: GraphQLSchema, type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name && isCompositeType(type)) return TypeNameMetaFieldDef;
  if (type === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

function pageSize(operation: OperationDefinitionNode, node: FieldNode, field: GraphQLField<unknown, unknown>, options: ComplexityLimitOptions): number {
  const declared = field.args.find((arg) => PAGE_SIZE_ARGUMENTS.has(arg.name));
  if (!declared) return 1;
  const given = node.arguments?.find((arg) => arg.name.value === declared.name)?.value;
  if (given?.kind === Kind.INT) return pageOf(given.value);
  if (given?.kind === Kind.VARIABLE) {
    const variable = operation.variableDefinitions?.find((v) => v.variable.name.value === given.name.value);
    return variable?.defaultValue?.kind === Kind.INT ? pageOf(variable.defaultValue.value) : options.maxPageSize;
  }
  if (given === undefined || given.kind === Kind.NULL) return typeof declared.defaultValue === "number" ? declared.defaultValue : options.defaultPageSize;
  return options.maxPageSize;
}

/** An Int literal as a page size; a literal of 400 digits parses to Infinity. */
function pageOf(literal: string): number {
  return capped(Math.max(0, Number.parseInt(literal, 10)));
}
