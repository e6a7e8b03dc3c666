import { readFileSync } from "node:fs";
import { Kind, buildSchema, execute, getIntrospectionQuery, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { UNCOUNTED, introspectionCost } from "./introspection-cost.js";

const schema = buildSchema(readFileSync(new URL("../../schema/schema.graphql", import.meta.url), "utf8"));

/** The cost of each root field of the query's operation, with `steps` to spend (the rest is returned). */
function costs(query: string, steps = 1e9): { costs: number[]; stepsLeft: number } {
  const document = parse(query);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const budget = { steps };
  const input = { schema, getFragment: (name: string) => fragments.get(name), budget };
  return { costs: operation.selectionSet.selections.map((field) => introspectionCost(input, field as FieldNode)), stepsLeft: budget.steps };
}

/** How many values graphql-js answers the query with: one per field of every object in the result. */
function answeredValues(query: string): number {
  const { data, errors } = execute({ schema, document: parse(query) }) as { data: unknown; errors?: unknown };
  expect(errors).toBeUndefined();
  let count = 0;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") for (const field of Object.values(value)) (count += 1), walk(field);
  };
  walk(data);
  return count;
}

describe("introspectionCost", () => {
  it("is the number of values the introspection answers with", () => {
    for (const query of [
      getIntrospectionQuery(),
      getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }),
      "{ __schema { types { name fields { name args { name } } } } }",
      '{ __type(name: "Call") { name fields { name type { kind ofType { name } } } } }',
      '{ __type(name: "NoSuchType") { name } }',
      "{ __schema { queryType { name ... on __Type { fields { name } } } } }",
    ]) {
      const [cost] = costs(query).costs;
      expect(cost).toBe(answeredValues(query));
    }
  });

  it("takes the costliest type for a __type whose name is a variable", () => {
    const [cost] = costs("query($name: String!) { __type(name: $name) { fields { name } } }").costs;
    const largest = Math.max(...Object.values(schema.getTypeMap()).map((type) => answeredValues(`{ __type(name: "${type.name}") { fields { name } } }`)));
    expect(cost).toBe(largest);
  });

  it("stops counting when the operation's steps run out, aliases and doubling fragments alike", () => {
    const alias = "__schema { types { fields { args { name } } } }";
    const aliases = costs(`{ ${Array.from({ length: 600 }, (_, i) => `a${i}: ${alias}`).join(" ")} }`, 10_000);
    // Each alias answers v values in v - 1 steps (v = 376 when this was written; it grows with the
    // schema): as many as fit in 10,000 steps are counted, the rest cost a step each.
    const values = answeredValues(`{ ${alias} }`);
    const fit = Math.floor(10_000 / (values - 1));
    expect(fit).toBeGreaterThan(5);
    expect(aliases.costs.slice(0, fit)).toEqual(Array(fit).fill(values));
    expect(aliases.costs.slice(fit)).toEqual(Array(600 - fit).fill(UNCOUNTED));
    expect(aliases.stepsLeft).toBeGreaterThan(-1_000);

    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on __Schema { ...F${i + 1} ...F${i + 1} }`).join("\n");
    const doubling = costs(`{ __schema { ...F0 } }\n${fragments}\nfragment F30 on __Schema { description }`, 10_000);
    expect(doubling.costs).toEqual([UNCOUNTED]);
  });
});
