import { execute, parse, type GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGraphQLSchema } from "./build-graphql-schema.js";
import { CompletionResolver } from "./completion/completion.resolver.js";
import { ModelsResolver } from "./models/models.resolver.js";
import { toCompletionView } from "./completion/to-completion-view.js";

/** What a handler got: each value's class (nested), so instances of the input classes are told from plain objects. */
function described(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(described);
  return { class: value.constructor?.name ?? "null", keys: Object.keys(value), fields: Object.fromEntries(Object.entries(value).map(([key, field]) => [key, described(field)])) };
}

const calls: unknown[] = [];
const original = CompletionResolver.prototype.complete;
let typeGraphqlSchema: GraphQLSchema;
let leanSchema: GraphQLSchema;

beforeAll(async () => {
  // Both schemas call the method as it is when they are built.
  CompletionResolver.prototype.complete = async function (input, context) {
    calls.push(described(input), typeof (context as { marker?: unknown }).marker);
    return toCompletionView({
      callId: "call-1", modelGroup: "g", deployment: "d", provider: "openai", costPico: 5n, latencyMs: 1, attempts: [],
      response: { id: "r", model: "m", message: { role: "assistant", content: "hi", toolCalls: [] }, finish: { unified: "stop", raw: "stop" }, usage: { inputTokens: 1, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
    });
  };
  typeGraphqlSchema = await buildSchema({ resolvers: [CompletionResolver, ModelsResolver], validate: false, skipCheck: true, pubSub: { publish: () => undefined, subscribe: () => { throw new Error("unused"); } } });
  leanSchema = await buildGraphQLSchema({ skipCheck: true });
});

afterAll(() => {
  CompletionResolver.prototype.complete = original;
});

const COMPLETE = "mutation C($input: CompletionInput!) { complete(input: $input) { id message { content } usage { totalTokens } costUsd } }";

describe("useLeanRootResolvers", () => {
  it.each([
    ["a plain input", { model: "g", messages: [{ role: "USER", content: "hello" }] }],
    [
      "every nested input type, lists, nulls and JSON",
      {
        model: "g",
        messages: [
          { role: "SYSTEM", content: null, name: "n" },
          { role: "USER", parts: [{ text: "look" }, { imageUrl: "https://x/y.png", detail: "low" }] },
          { role: "ASSISTANT", toolCalls: [{ id: "t1", name: "f", arguments: "{}" }] },
          { role: "TOOL", toolCallId: "t1", content: "42" },
        ],
        temperature: 0.5,
        stop: ["a", "b"],
        tools: [{ name: "f", description: null, parameters: { type: "object", properties: { a: { type: "string" } } } }],
        toolChoice: "auto",
        responseFormat: { type: "JSON_SCHEMA", name: "s", schema: { type: "object" }, strict: true },
        routing: { strategy: "cost", fallbacks: ["h"], maxCostUsd: 0.1, tags: ["x"], threshold: [0.5] },
        metadata: { team: "t", nested: { deep: [1, 2] } },
        user: "u",
      },
    ],
  ])("hands the handler what type-graphql's resolver hands it: %s", async (_, input) => {
    const run = async (schema: GraphQLSchema) => {
      calls.length = 0;
      const result = await execute({ schema, document: parse(COMPLETE), variableValues: { input }, contextValue: { marker: 1 } });
      return { result: JSON.stringify(result), calls: JSON.stringify(calls) };
    };
    const expected = await run(typeGraphqlSchema);
    expect(JSON.parse(expected.calls)[0].class).toBe("CompletionInput");
    expect(await run(leanSchema)).toEqual(expected);
  });

  it("keeps the order of resolver calls and errors of type-graphql's resolvers", async () => {
    const document = parse('mutation { a: complete(input: { model: "g", messages: [] }) { id } b: complete(input: { model: "h", messages: [{ role: USER, content: "x" }] }) { id } }');
    const run = async (schema: GraphQLSchema) => {
      calls.length = 0;
      const result = await execute({ schema, document, contextValue: {} });
      return { result: JSON.stringify(result), calls: JSON.stringify(calls) };
    };
    expect(await run(leanSchema)).toEqual(await run(typeGraphqlSchema));
  });

  it("replaces the resolvers of the root fields it can run (and only those)", () => {
    expect(leanSchema.getMutationType()!.getFields().complete!.resolve).not.toBe(typeGraphqlSchema.getMutationType()!.getFields().complete!.resolve);
    expect(leanSchema.getMutationType()!.getFields().complete!.resolve!.toString()).toContain("getters");
    expect(typeGraphqlSchema.getMutationType()!.getFields().complete!.resolve!.toString()).not.toContain("getters");
  });
});
