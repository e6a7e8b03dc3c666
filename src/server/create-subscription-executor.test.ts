import {
  GraphQLBoolean,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  type ExecutionResult,
  parse,
} from "graphql";
import { describe, expect, it } from "vitest";
import { createSubscriptionExecutor } from "./create-subscription-executor.js";

/** Subscription.count(input) yields input.times events; a custom scalar counts how often the input is coerced. */
function countingSchema() {
  const coerced = { count: 0 };
  const Text = new GraphQLScalarType({
    name: "Text",
    parseValue: (value) => {
      coerced.count += 1;
      return value;
    },
  });
  const Input = new GraphQLInputObjectType({
    name: "In",
    fields: { times: { type: new GraphQLNonNull(GraphQLInt) }, parts: { type: new GraphQLList(new GraphQLNonNull(Text)) } },
  });
  const Event = new GraphQLObjectType({
    name: "Event",
    fields: {
      n: { type: GraphQLInt },
      label: { type: GraphQLString, args: { prefix: { type: GraphQLString } }, resolve: (event: { n: number }, args: { prefix?: string }) => `${args.prefix ?? ""}${event.n}` },
    },
  });
  const returned = { count: 0 };
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: "Query", fields: { ok: { type: GraphQLBoolean } } }),
    subscription: new GraphQLObjectType({
      name: "Subscription",
      fields: {
        count: {
          type: Event,
          args: { input: { type: new GraphQLNonNull(Input) } },
          subscribe: (_root, args: { input: { times: number } }) => counter(args.input.times, returned),
          resolve: (n: number) => {
            if (n === 99) throw new Error("no 99");
            return { n };
          },
        },
        never: { type: GraphQLInt, subscribe: () => pending(returned), resolve: (n: number) => n },
      },
    }),
  });
  return { schema, coerced, returned };
}

async function* counter(times: number, returned: { count: number }) {
  try {
    for (let i = 0; i < times; i++) yield times === 1 ? 99 : i;
  } finally {
    returned.count += 1;
  }
}

/** An iterator whose next() never settles; return() is counted. */
function pending(returned: { count: number }): AsyncIterableIterator<number> {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => new Promise(() => undefined),
    return: async () => {
      returned.count += 1;
      return { value: undefined, done: true };
    },
  };
}

async function collect(result: Awaited<ReturnType<ReturnType<typeof createSubscriptionExecutor>>>): Promise<ExecutionResult[]> {
  if (!(Symbol.asyncIterator in result)) return [result];
  const events: ExecutionResult[] = [];
  for await (const event of result) events.push(event);
  return events;
}

describe("subscription executor", () => {
  it("coerces the variables once for the whole stream and keeps the ones still used per event", async () => {
    const { schema, coerced } = countingSchema();
    const subscribe = createSubscriptionExecutor(schema);
    const document = parse(`subscription S($input: In!, $prefix: String, $withLabel: Boolean!) {
      count(input: $input) { n label(prefix: $prefix) @include(if: $withLabel) }
    }`);
    const variableValues = { input: { times: 5, parts: ["a", "b", "c"] }, prefix: "#", withLabel: true };
    const events = await collect(await subscribe({ schema, document, variableValues }));
    expect(events.map((event) => event.data)).toEqual([0, 1, 2, 3, 4].map((n) => ({ count: { n, label: `#${n}` } })));
    expect(coerced.count).toBe(3); // the three parts, once — not once per event
  });

  it("answers errors the standard way: bad variables before the stream, a resolver error per event", async () => {
    const { schema } = countingSchema();
    const subscribe = createSubscriptionExecutor(schema);
    const document = parse(`subscription($input: In!) { count(input: $input) { n } }`);
    const [refused] = await collect(await subscribe({ schema, document, variableValues: { input: { times: "x" } } }));
    expect(refused!.errors?.[0]?.message).toMatch(/times/);
    const [failed] = await collect(await subscribe({ schema, document, variableValues: { input: { times: 1 } } }));
    expect(failed!.data).toEqual({ count: null });
    expect(failed!.errors?.[0]?.message).toBe("no 99");
  });

  it("passes return() to the source at once, even while an event is awaited", async () => {
    const { schema, returned } = countingSchema();
    const subscribe = createSubscriptionExecutor(schema);
    const stream = (await subscribe({ schema, document: parse("subscription { never }") })) as AsyncIterableIterator<ExecutionResult>;
    void stream.next();
    await stream.return!();
    expect(returned.count).toBe(1);
  });

  it("runs a root fragment spread the standard way", async () => {
    const { schema } = countingSchema();
    const subscribe = createSubscriptionExecutor(schema);
    const document = parse(`subscription($input: In!) { ...F } fragment F on Subscription { count(input: $input) { n } }`);
    const events = await collect(await subscribe({ schema, document, variableValues: { input: { times: 2 } } }));
    expect(events.map((event) => event.data)).toEqual([{ count: { n: 0 } }, { count: { n: 1 } }]);
  });
});
