import {
  Kind,
  SchemaMetaFieldDef,
  TypeNameMetaFieldDef,
  __Schema,
  __Type,
  getNamedType,
  isObjectType,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

export interface IntrospectionCostInput {
  schema: GraphQLSchema;
  getFragment(name: string): FragmentDefinitionNode | null | undefined;
  /** Selections that may still be visited; shared by every introspection field of the document. */
  budget: { steps: number };
}

/** What an introspection field costs when the steps of `budget` run out before it is counted. */
export const UNCOUNTED = Number.MAX_SAFE_INTEGER;

/**
 * What a `__schema` or `__type` field costs: the number of values it answers with, counted by
 * running graphql-js's own introspection resolvers over the schema (no execution, no context).
 * A count per node would let `a1: __schema { types { fields { args { name } } } } a2: …` — 600 of
 * them in 10,000 tokens — ask for the whole schema 600 times (2.2 s, 3 MB) for a cost of 3,000;
 * counted by what it answers, the standard introspection query of this schema costs about 5,100.
 *
 * Counting walks what it counts, so every selection visited takes a step from the document's
 * budget: when it runs out the field costs UNCOUNTED (its operation is over any limit) and the
 * walk stops — aliases and doubling fragments cannot make the count itself expensive.
 */
export function introspectionCost(input: IntrospectionCostInput, node: FieldNode): number {
  const { schema, getFragment, budget } = input;
  const info = { schema } as GraphQLResolveInfo;
  let exhausted = false;
  // What a field selection resolves with does not depend on the object it is asked of: worked out once.
  const plans = new Map<FieldNode, { resolve: GraphQLFieldResolver<unknown, unknown>; args: Record<string, unknown>; below: GraphQLObjectType } | null>();
  const planOf = (type: GraphQLObjectType, selection: FieldNode) => {
    let plan = plans.get(selection);
    if (plan !== undefined) return plan;
    const field = selection.name.value === TypeNameMetaFieldDef.name ? undefined : type.getFields()[selection.name.value];
    const below = getNamedType(field?.type);
    plan = null;
    if (field?.resolve && selection.selectionSet && isObjectType(below)) {
      const args: Record<string, unknown> = {};
      for (const arg of field.args) {
        const given = selection.arguments?.find((a) => a.name.value === arg.name)?.value;
        args[arg.name] = (given && valueFromAST(given, arg.type)) ?? arg.defaultValue;
      }
      plan = { resolve: field.resolve, args, below };
    }
    plans.set(selection, plan);
    return plan;
  };

  const countIn = (type: GraphQLObjectType, value: unknown, selectionSet: SelectionSetNode, fragments: ReadonlySet<string>): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (--budget.steps < 0) exhausted = true;
      if (exhausted) return 0;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += countIn(type, value, selection.selectionSet, fragments);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = getFragment(selection.name.value);
        // A cycle is NoFragmentCyclesRule's to report.
        if (fragment && !fragments.has(selection.name.value)) cost += countIn(type, value, fragment.selectionSet, new Set([...fragments, selection.name.value]));
      } else {
        cost += 1;
        const plan = planOf(type, selection);
        if (!plan) continue;
        const result: unknown = plan.resolve(value, plan.args, undefined, info);
        for (const item of Array.isArray(result) ? result : [result]) {
          if (item != null) cost += countIn(plan.below, item, selection.selectionSet!, fragments);
        }
      }
    }
    return cost;
  };

  let cost: number;
  if (!node.selectionSet) {
    cost = 1;
  } else if (node.name.value === SchemaMetaFieldDef.name) {
    cost = 1 + countIn(__Schema, schema, node.selectionSet, new Set());
  } else {
    // __type(name: $variable): whichever type costs most.
    const nameNode = node.arguments?.find((a) => a.name.value === "name")?.value;
    const types = nameNode?.kind === Kind.STRING ? [schema.getType(nameNode.value)] : Object.values(schema.getTypeMap());
    cost = 1 + Math.max(0, ...types.map((type) => (type ? countIn(__Type, type, node.selectionSet!, new Set()) : 0)));
  }
  return exhausted ? UNCOUNTED : cost;
}
