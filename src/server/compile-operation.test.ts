import {
  GraphQLBoolean,
  GraphQLError,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  execute,
  parse,
  responsePathAsArray,
  type ExecutionResult,
  type GraphQLFieldConfigMap,
  type GraphQLResolveInfo,
} from "graphql";
import { describe, expect, it } from "vitest";
import { compileOperation } from "./compile-operation.js";

/** What each resolver saw, in the order they ran: both paths must call the same resolvers the same way. */
type Log = string[];
interface Context {
  log: Log;
}

const seen = (info: GraphQLResolveInfo, args: Record<string, unknown>): string =>
  JSON.stringify({
    field: info.fieldName,
    path: responsePathAsArray(info.path),
    typename: info.path.typename,
    parent: info.parentType.name,
    returns: String(info.returnType),
    nodes: info.fieldNodes.map((node) => node.loc?.start),
    operation: info.operation.name?.value ?? null,
    variables: info.variableValues,
    fragments: Object.keys(info.fragments),
    root: info.rootValue ?? null,
    schema: info.schema === schema,
    args,
    argsPrototype: Object.getPrototypeOf(args) === null ? "null" : "object",
  });

const delay = <T,>(value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), 1));
const NullSerializer = new GraphQLScalarType({ name: "NullSerializer", serialize: () => null });
const Named = new GraphQLInterfaceType({ name: "Named", fields: { name: { type: GraphQLString } } });

const Item: GraphQLObjectType = new GraphQLObjectType<Record<string, unknown>, Context>({
  name: "Item",
  fields: (): GraphQLFieldConfigMap<Record<string, unknown>, Context> => ({
    name: { type: GraphQLString },
    count: { type: GraphQLInt },
    method: { type: GraphQLString, args: { suffix: { type: GraphQLString } } },
    child: { type: Item, resolve: (source, _, { log }, info) => (log.push(seen(info, {})), source.child ?? { name: `${String(source.name)}'s child` }) },
    required: { type: new GraphQLNonNull(GraphQLString), resolve: (source) => source.required ?? null },
    later: { type: GraphQLString, resolve: (source, args, { log }, info) => (log.push(seen(info, args)), delay(`later ${String(source.name)}`)) },
    rejects: { type: new GraphQLNonNull(GraphQLString), resolve: (source) => delay(null).then(() => Promise.reject(new Error(`no ${String(source.name)}`))) },
    tags: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)), resolve: (source) => source.tags },
  }),
});
const ShoutInput = new GraphQLInputObjectType({ name: "ShoutInput", fields: { text: { type: new GraphQLNonNull(GraphQLString) }, loud: { type: GraphQLBoolean, defaultValue: true } } });

const item = (name: string, extra: Record<string, unknown> = {}) => ({ name, count: name.length, required: "ok", method: (args: { suffix?: string }) => `${name}${args.suffix ?? ""}`, ...extra });

const schema = new GraphQLSchema({
  types: [Named],
  query: new GraphQLObjectType<unknown, Context>({
    name: "Query",
    fields: {
      hello: { type: GraphQLString, args: { name: { type: GraphQLString, defaultValue: "world" } }, resolve: (_, args, { log }, info) => (log.push(seen(info, args)), `hello ${String(args.name)}`) },
      item: { type: Item, resolve: () => item("one") },
      items: { type: new GraphQLNonNull(new GraphQLList(Item)), args: { first: { type: GraphQLInt } }, resolve: (_, { first }) => [item("a"), null, item("b", { required: first === 2 ? null : "ok" })] },
      strictItems: { type: new GraphQLList(new GraphQLNonNull(Item)), resolve: () => [item("a"), item("b", { required: null })] },
      asyncItems: { type: new GraphQLList(Item), resolve: () => delay(null).then(() => [delay(item("x")), item("y"), Promise.reject(new Error("item z failed"))]) },
      fails: { type: GraphQLString, resolve: () => { throw new Error("sync failure"); } },
      rejects: { type: GraphQLString, resolve: () => Promise.reject(new GraphQLError("async failure", { extensions: { code: "NOPE" } })) },
      required: { type: new GraphQLNonNull(GraphQLString), resolve: () => delay(null) },
      errorValue: { type: GraphQLString, resolve: () => new Error("returned, not thrown") },
      badInt: { type: GraphQLInt, resolve: () => "abc" },
      nullSerialized: { type: NullSerializer, resolve: () => 1 },
      notIterable: { type: new GraphQLList(GraphQLString), resolve: () => 5 },
      shout: { type: GraphQLString, args: { input: { type: new GraphQLNonNull(ShoutInput) } }, resolve: (_, args, { log }, info) => (log.push(seen(info, args)), String((args.input as { text: string }).text)) },
      named: { type: Named, resolve: () => ({ name: "n" }) },
      pair: {
        type: GraphQLString,
        args: { a: { type: GraphQLString }, b: { type: GraphQLString, defaultValue: "bee" }, c: { type: new GraphQLNonNull(GraphQLInt) } },
        resolve: (_, args, { log }, info) => (log.push(seen(info, args)), JSON.stringify(args)),
      },
    },
  }),
  mutation: new GraphQLObjectType<unknown, Context>({
    name: "Mutation",
    fields: {
      first: { type: GraphQLString, resolve: (_, args, { log }, info) => (log.push(seen(info, args)), delay("first")) },
      second: { type: new GraphQLNonNull(GraphQLString), resolve: (_, args, { log }, info) => (log.push(seen(info, args)), "second") },
      failing: { type: new GraphQLNonNull(GraphQLString), resolve: (_, args, { log }, info) => (log.push(seen(info, args)), delay(null).then(() => { throw new GraphQLError("Budget exhausted", { extensions: { code: "BUDGET_EXCEEDED" } }); })) },
      make: { type: Item, args: { name: { type: new GraphQLNonNull(GraphQLString) } }, resolve: (_, { name }) => delay(item(String(name))) },
    },
  }),
  subscription: new GraphQLObjectType<unknown, Context>({
    name: "Subscription",
    fields: {
      tick: { type: Item, resolve: (payload, args, { log }, info) => (log.push(seen(info, args)), payload) },
      count: { type: new GraphQLNonNull(GraphQLInt), resolve: (payload) => (payload as { count?: number }).count },
    },
  }),
});

/** The result as a client would see it (every error's JSON, data) and the resolvers' log, from one path. */
async function outcome(run: (context: Context) => Promise<ExecutionResult> | ExecutionResult) {
  const context: Context = { log: [] };
  const result = await run(context);
  return { json: JSON.stringify({ errors: result.errors?.map((error) => error.toJSON()), data: result.data }), hasData: "data" in result, log: context.log, originals: result.errors?.map((error) => error.originalError?.message) };
}

const COMPILED: Array<[string, string, Record<string, unknown>?, string?]> = [
  ["a field with a default argument", "{ hello }"],
  ["arguments, aliases and a repeated field", 'query Q($n: String) { a: hello(name: $n) hello b: hello(name: "lit") hello }', { n: "you" }, "Q"],
  ["a variable left out", "query Q($n: String) { hello(name: $n) }", {}],
  ["a variable given null", "query Q($n: String) { hello(name: $n) }", { n: null }],
  ["nested objects, default resolvers and a method", '{ item { name count method(suffix: "!") child { name child { name } } } __typename }'],
  ["a field repeated with different sub-selections", "{ item { name child { name } } item { count child { count } } }"],
  ["a list with nulls and a non-null field going null", "{ items { name required } }"],
  ["the null going past the list item", "{ items(first: 2) { name required } }"],
  ["a list of non-null items going null", "{ strictItems { name required } }"],
  ["async lists, items and fields", "{ asyncItems { name later } }"],
  ["rejections at several depths", "{ asyncItems { name rejects } item { later rejects } rejects }"],
  ["errors in order of the fields", "{ fails rejects errorValue badInt nullSerialized notIterable hello }"],
  ["a non-null root field going null", "{ hello required }"],
  ["an input object with a default", 'query S($i: ShoutInput!) { shout(input: $i) }', { i: { text: "hey" } }],
  ["a mutation, one field after the other", "mutation { first second make(name: \"m\") { name later } }"],
  ["a mutation whose non-null field fails", "mutation { first failing second }"],
  ["a variable that does not coerce", "query S($i: ShoutInput!) { shout(input: $i) }", { i: { text: 7 } }],
  ["a required variable missing", "query S($i: ShoutInput!) { shout(input: $i) }", {}],
  ["an unknown field in an input", "query S($i: ShoutInput!) { shout(input: $i) }", { i: { text: "a", lodu: true } }],
  ["every argument a variable, one left to its default", "query P($a: String, $c: Int!) { pair(a: $a, c: $c) }", { a: "x", c: 1 }],
  ["an optional argument not given", "query P($c: Int!) { pair(c: $c) }", { c: 2 }],
  ["an argument's variable left out", "query P($a: String, $c: Int!) { pair(a: $a, c: $c) }", { c: 3 }],
  ["an argument's variable null", "query P($a: String, $c: Int!) { pair(a: $a, c: $c) }", { a: null, c: 4 }],
  ["a required argument's variable left out", "query P($a: String, $c: Int) { pair(a: $a, c: $c) }", { a: "x" }],
  ["a required argument not given", "query P($a: String) { pair(a: $a) }", { a: "x" }],
  ["a variable and a literal", 'query P($c: Int!) { pair(a: "lit", c: $c) }', { c: 5 }],
];

describe("compileOperation", () => {
  it.each(COMPILED)("answers as graphql-js's execute: %s", async (_, text, variables, operationName) => {
    const document = parse(text);
    const compiled = compileOperation(schema, document, operationName);
    expect(compiled).toBeDefined();
    const expected = await outcome((contextValue) => execute({ schema, document, contextValue, variableValues: variables, operationName }));
    const actual = await outcome((contextValue) => compiled!.execute(contextValue, variables));
    expect(actual).toEqual(expected);
  });

  it.each([
    ["an event's fields", "subscription { tick { name later child { name } } }", item("event")],
    ["an event whose non-null field is missing", "subscription { count tick { name } }", item("event")],
    ["an event with errors below", "subscription { tick { name rejects required } }", item("event", { required: null })],
  ])("runs a subscription's event as graphql-js's execute with the event as root value: %s", async (_, text, payload) => {
    const document = parse(text);
    const compiled = compileOperation(schema, document, undefined);
    expect(compiled).toBeDefined();
    const expected = await outcome((contextValue) => execute({ schema, document, contextValue, rootValue: payload }));
    const actual = await outcome((contextValue) => compiled!.execute(contextValue, undefined, payload));
    expect(actual).toEqual(expected);
  });

  it("runs a compiled operation again and again with its own errors each time", async () => {
    const document = parse("{ fails hello item { name } }");
    const compiled = compileOperation(schema, document, undefined)!;
    const first = await outcome((contextValue) => compiled.execute(contextValue, undefined));
    const second = await outcome((contextValue) => compiled.execute(contextValue, undefined));
    expect(second).toEqual(first);
    expect(JSON.parse(first.json).errors).toHaveLength(1);
  });

  it.each([
    ["a fragment", "{ ...F } fragment F on Query { hello }", undefined],
    ["an inline fragment", "{ ... on Query { hello } }", undefined],
    ["a directive", "query Q($s: Boolean!) { hello @skip(if: $s) }", undefined],
    ["an interface", "{ named { name } }", undefined],
    ["introspection", "{ __schema { queryType { name } } }", undefined],
    ["__type", '{ __type(name: "Item") { name } }', undefined],
    ["two operations and no name", "query A { hello } query B { hello }", undefined],
    ["an unknown operation name", "query A { hello }", "B"],
    ["__proto__ as an alias", "{ __proto__: hello }", undefined],
  ])("leaves %s to graphql-js", (_, text, operationName) => {
    expect(compileOperation(schema, parse(text), operationName)).toBeUndefined();
  });
});
