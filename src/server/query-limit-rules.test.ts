import { TypeInfo, ValidationContext, buildSchema, parse, specifiedRules, validate, visit, visitWithTypeInfo, type GraphQLSchema, type ValidationRule } from "graphql";
import { describe, expect, it } from "vitest";
import { fragmentDoublingDocument, typenameAliasDocument } from "../../bench/hostile-documents.js";
import { complexityLimitRule } from "./complexity-limit-rule.js";
import { depthLimitRule } from "./depth-limit-rule.js";
import { DEFAULT_QUERY_LIMITS, queryLimitRules } from "./query-limit-rules.js";

const schema = buildSchema(`
  type Query { calls(first: Int): CallConnection! me: Me! }
  type Me { id: ID! }
  type CallConnection { totalCount: Int! edges: [CallEdge!]! }
  type CallEdge { cursor: String! node: Call! }
  type Call { id: ID! attempts: [Attempt!]! }
  type Attempt { outcome: String! }
`);
const complexity = complexityLimitRule({ maxComplexity: DEFAULT_QUERY_LIMITS.maxComplexity, maxPageSize: 200, defaultPageSize: 50 });

/** Runs one rule over a document and counts how often it looks a fragment up: the work it does per spread. */
function fragmentLookups(rule: ValidationRule, query: string, on: GraphQLSchema = schema): { lookups: number; errors: string[] } {
  const document = parse(query);
  const typeInfo = new TypeInfo(on);
  const errors: string[] = [];
  const context = new ValidationContext(on, document, typeInfo, (error) => errors.push(error.message));
  let lookups = 0;
  const getFragment = context.getFragment.bind(context);
  context.getFragment = (name) => {
    lookups += 1;
    return getFragment(name);
  };
  visit(document, visitWithTypeInfo(typeInfo, rule(context)));
  return { lookups, errors };
}

describe("query limit rules", () => {
  it("measure each fragment once, however often it is spread", () => {
    // 17 fragments, each spreading the next twice: 2^17 spreads for a rule that follows every one.
    const query = fragmentDoublingDocument(16);
    const depth = fragmentLookups(depthLimitRule(12), query);
    expect(depth).toEqual({ lookups: 17, errors: [] });
    const cost = fragmentLookups(complexity, query);
    expect(cost.lookups).toBe(17);
    expect(cost.errors).toEqual([`Query is too complex: complexity ${2 ** 16} exceeds the limit of 10000`]);
  });

  it("refuse the 22-deep doubling document with its exact complexity", () => {
    const errors = validate(schema, parse(fragmentDoublingDocument(22)), [...specifiedRules, ...queryLimitRules()]);
    expect(errors.map((error) => error.extensions)).toEqual([{ code: "GRAPHQL_VALIDATION_FAILED", limit: "maxComplexity", maxComplexity: 10_000, complexity: 2 ** 22 }]);
  });

  it("apply each spread's own page to a memoised fragment", () => {
    const messages = (query: string) => validate(schema, parse(query), queryLimitRules({ maxComplexity: 1 })).map((error) => error.message);
    // Under calls(first: 10): edges is a list, 10 × (edges 1 + cursor 1 + node 1 + id 1) = 40; totalCount 1; calls 1.
    const fragment = "fragment C on CallConnection { totalCount edges { cursor node { id } } }";
    expect(messages(`{ a: calls(first: 10) { ...C } } ${fragment}`)).toEqual(["Query is too complex: complexity 42 exceeds the limit of 1"]);
    expect(messages(`{ a: calls(first: 10) { ...C } b: calls(first: 3) { ...C } } ${fragment}`)).toEqual([
      `Query is too complex: complexity ${42 + (1 + 1 + 3 * 4)} exceeds the limit of 1`,
    ]);
    // A list without a page argument (attempts) counts once; the page of calls multiplies it.
    expect(messages(`{ calls(first: 2) { edges { node { ...A } } } } fragment A on Call { attempts { outcome } }`)).toEqual([
      `Query is too complex: complexity ${1 + 2 * (1 + 1 + 2)} exceeds the limit of 1`,
    ]);
    // An operation's own variable default sizes the page, in each operation separately.
    const twoOperations = `query A($n: Int = 2) { calls(first: $n) { ...E } } query B($n: Int = 5) { calls(first: $n) { ...E } } fragment E on CallConnection { edges { cursor } }`;
    expect(messages(twoOperations)).toEqual([
      "Query is too complex: complexity 5 exceeds the limit of 1",
      "Query is too complex: complexity 11 exceeds the limit of 1",
    ]);
  });

  it("count __typename, introspection fields, unknown fields and every alias", () => {
    const cost = (query: string) => {
      const errors = validate(schema, parse(query), queryLimitRules({ maxComplexity: 0 }));
      return errors[0]?.extensions?.complexity;
    };
    expect(cost("{ __typename }")).toBe(1);
    expect(cost(typenameAliasDocument(500))).toBe(500);
    expect(cost("{ me { __typename } calls(first: 5) { edges { __typename } } }")).toBe(2 + 1 + 5 * 2);
    // Introspection costs what it answers with (introspection-cost.ts): each type's name, here.
    const types = Object.keys(schema.getTypeMap()).length;
    const introspection = validate(schema, parse('{ __schema { types { name } } __type(name: "Me") { name } }'), queryLimitRules({ maxComplexity: types }));
    expect(introspection[0]?.extensions?.complexity).toBe(2 + types + 2);
    expect(cost("{ nope { deeper } me { id } }")).toBe(1 + 2);
    expect(validate(schema, parse(typenameAliasDocument(10_001)), queryLimitRules()).map((error) => error.extensions?.limit)).toEqual(["maxComplexity"]);
  });

  it("count introspection within one step budget for the whole document, however many operations it has", () => {
    const types = Object.keys(schema.getTypeMap()).length;
    // Each operation answers 2 + types values in 1 + types steps; the budget is 2 × (100 + 1) steps.
    const operations = Array.from({ length: 30 }, (_, i) => `query Q${i} { __schema { types { name } } }`).join("\n");
    const errors = validate(schema, parse(operations), queryLimitRules({ maxComplexity: 100 }));
    const fitting = Math.floor(202 / (1 + types));
    expect(errors).toHaveLength(30 - fitting);
    expect(errors.every((error) => error.extensions?.complexity === Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it("stay finite on huge page sizes and terminate on fragment cycles", () => {
    const huge = `{ a: calls(first: ${"9".repeat(400)}) { edges { cursor } } b: calls(first: 0) { edges { cursor } } }`;
    const [error] = validate(schema, parse(huge), queryLimitRules());
    expect(error?.extensions?.complexity).toBe(Number.MAX_SAFE_INTEGER);
    const cyclic = `{ calls { ...A } } fragment A on CallConnection { totalCount ...B } fragment B on CallConnection { edges { cursor } ...A }`;
    const errors = validate(schema, parse(cyclic), [...queryLimitRules({ maxComplexity: 0, maxDepth: 0 }), ...specifiedRules]);
    expect(errors.map((e) => e.message)).toEqual(
      expect.arrayContaining(['Cannot spread fragment "A" within itself via "B".', "Query is too deep: depth 3 exceeds the limit of 0"]),
    );
  });
});
