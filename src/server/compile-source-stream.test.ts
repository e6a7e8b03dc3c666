import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  createSourceEventStream,
  parse,
  type ExecutionArgs,
  type GraphQLResolveInfo,
} from "graphql";
import { describe, expect, it } from "vitest";
import { compileSourceStream, type SourceStream } from "./compile-source-stream.js";

/** What each `subscribe` was called with, and a root field per way a subscribe can end. */
function schemaWithCalls() {
  const calls: Array<{ args: unknown; context: unknown; info: Omit<GraphQLResolveInfo, "schema"> }> = [];
  const record = (args: unknown, context: unknown, info: GraphQLResolveInfo) => {
    const { schema: _schema, ...rest } = info;
    calls.push({ args, context, info: rest });
  };
  async function* events(n: number) {
    for (let i = 0; i < n; i++) yield i;
  }
  const Color = new GraphQLEnumType({ name: "Color", values: { RED: { value: "r" }, BLUE: { value: "b" } } });
  const Input = new GraphQLInputObjectType({
    name: "In",
    fields: { times: { type: new GraphQLNonNull(GraphQLInt) }, color: { type: Color, defaultValue: "b" }, tags: { type: new GraphQLList(GraphQLString) } },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: "Query", fields: { ok: { type: GraphQLInt } } }),
    subscription: new GraphQLObjectType({
      name: "Subscription",
      fields: {
        count: {
          type: GraphQLInt,
          args: { input: { type: new GraphQLNonNull(Input) }, label: { type: GraphQLString, defaultValue: "none" } },
          subscribe: (_root, args: { input: { times: number } }, context, info) => {
            record(args, context, info);
            return events(args.input.times);
          },
        },
        throws: { type: GraphQLInt, subscribe: () => Promise.reject(new Error("refused upstream")) },
        returnsError: { type: GraphQLInt, subscribe: () => new Error("as a value") },
        notAStream: { type: GraphQLInt, subscribe: () => ({ not: "a stream" }) },
        fromRoot: { type: GraphQLInt },
      },
    }),
  });
  return { schema, calls };
}

/** The outcome of a source stream in a comparable shape: the errors as JSON, a stream's events, or what was thrown. */
async function outcome(run: () => Promise<SourceStream>): Promise<unknown> {
  try {
    const result = await run();
    if (Symbol.asyncIterator in result) {
      const seen: unknown[] = [];
      for await (const event of result) seen.push(event);
      return { events: seen };
    }
    return { errors: JSON.parse(JSON.stringify(result.errors)) };
  } catch (error) {
    return { thrown: (error as Error).message };
  }
}

async function* rootEvents() {
  yield 7;
}

describe("compileSourceStream", () => {
  const cases: Array<[string, string, Record<string, unknown> | undefined, string?]> = [
    ["variables coerced, defaults and enums", "subscription S($input: In!) { count(input: $input) }", { input: { times: 2, color: "RED", tags: "one" } }],
    ["an alias and a literal argument", `subscription { n: count(input: { times: 1 }, label: "x") }`, undefined],
    ["a variable missing", "subscription S($input: In!) { count(input: $input) }", {}],
    ["a variable of the wrong type", "subscription S($input: In!) { count(input: $input) }", { input: { times: "two", color: "GREEN" } }],
    ["a subscribe that rejects", "subscription { throws }", undefined],
    ["a subscribe that returns an Error", "subscription { returnsError }", undefined],
    ["a subscribe that returns no stream", "subscription { notAStream }", undefined],
    ["the default resolver on the root value", "subscription { fromRoot }", undefined],
    ["a named operation among others", "subscription A { throws } subscription B($input: In!) { count(input: $input) }", { input: { times: 1 } }, "B"],
  ];

  for (const [name, query, variableValues, operationName] of cases) {
    it(`answers as createSourceEventStream: ${name}`, async () => {
      const document = parse(query);
      const { schema, calls } = schemaWithCalls();
      const compiled = compileSourceStream(schema, document, operationName);
      expect(compiled).toBeDefined();
      const args: ExecutionArgs = {
        schema,
        document,
        rootValue: { fromRoot: rootEvents },
        contextValue: { caller: "k" },
        ...(variableValues ? { variableValues } : {}),
        ...(operationName ? { operationName } : {}),
      };
      const expected = await outcome(() => createSourceEventStream(args) as Promise<SourceStream>);
      const standardCalls = calls.splice(0);
      expect(await outcome(() => compiled!(args))).toEqual(expected);
      expect(calls).toEqual(standardCalls);
    });
  }

  it("leaves to graphql-js what it does not compile", () => {
    const { schema } = schemaWithCalls();
    for (const query of [
      "subscription { ... on Subscription { throws } }",
      "subscription { throws @include(if: true) }",
      "subscription A { throws } subscription B { throws }",
      "query { ok }",
      "subscription { __typename }",
    ]) {
      expect(compileSourceStream(schema, parse(query), undefined), query).toBeUndefined();
    }
  });
});
