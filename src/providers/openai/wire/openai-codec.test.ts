/**
 * The OpenAI codec's directions against each other and against recorded answers: a request the
 * adapter encodes decodes (as the simulator and the fake servers read it) to what was asked; an
 * answer the simulator and the fake servers encode decodes (as the adapter reads it) to what was
 * planned; and the recorded fixtures, decoded by the adapter, survive being encoded again.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChatEvent, ChatRequest, ChatResponse } from "../../../core/index.js";
import type { CompletionPlan } from "../../../simulator/plan-completion.js";
import { sseEvents } from "../../http/sse-events.js";
import { assembleToolCalls, collectEvents, textOf } from "../../http/testing/adapter-test-helpers.js";
import { bytesOf, joinedText as joined, missingPaths, planOf as planWith, reasoningOf, streamedAnswer } from "../../http/testing/codec-round-trip.js";
import { openaiStreamEvents } from "./openai-stream-events.js";
import { parseOpenAIRequest } from "./parse-openai-request.js";
import { parseOpenAIResponse } from "./parse-openai-response.js";
import { renderAzureBody } from "./render-azure-body.js";
import { renderAzureStream } from "./render-azure-stream.js";
import { renderOpenAIBody } from "./render-openai-body.js";
import { renderOpenAIStream } from "./render-openai-stream.js";
import { toOpenAIRequest } from "./to-openai-request.js";

const fixture = (provider: "openai" | "azure", name: string): string =>
  readFileSync(new URL(`../../${provider}/fixtures/${name}`, import.meta.url), "utf8");

const context = { provider: "openai-compatible", model: "asked-model" };

const decodeStream = (text: string): Promise<ChatEvent[]> => collectEvents(openaiStreamEvents(sseEvents(bytesOf(text)), context));

const USAGE = { promptTokens: 40, completionTokens: 30, cachedTokens: 8, cacheWriteTokens: 0 };
const TEXT: CompletionPlan = {
  kind: "text",
  id: "chatcmpl-roundtrip",
  created: 1_761_564_674,
  model: "deepseek-reasoner",
  usage: USAGE,
  pieces: ["The", " Baltic", " héllo 日本 🚀"],
  finishReason: "stop",
  reasoning: { pieces: ["A", " sea", " is", " asked."], signature: "" },
};
const TOOL: CompletionPlan = {
  kind: "tool-call",
  id: "chatcmpl-roundtrip-tool",
  created: 1_761_564_674,
  model: "deepseek-reasoner",
  usage: USAGE,
  toolCallId: "call_roundtrip",
  name: "get_weather",
  arguments: '{"city":"Zürich"}',
  argumentPieces: ['{"city":', '"Zürich"}'],
  finishReason: "tool_calls",
};

/** What the adapter should read back from a plan. */
const expectedResponse = (plan: CompletionPlan): ChatResponse => ({
  id: plan.id,
  model: plan.model,
  message: {
    role: "assistant",
    content: plan.kind === "text" ? plan.pieces.join("") : null,
    toolCalls: plan.kind === "tool-call" ? [{ id: plan.toolCallId, name: plan.name, arguments: plan.arguments }] : [],
    refusal: null,
    ...(plan.reasoning !== undefined ? { reasoning: plan.reasoning.pieces.join("") } : {}),
  },
  finish: { unified: plan.finishReason, raw: plan.finishReason },
  usage: {
    inputTokens: plan.usage.promptTokens,
    cachedInputTokens: plan.usage.cachedTokens,
    cacheWriteTokens: 0,
    outputTokens: plan.usage.completionTokens + (plan.reasoning?.pieces.length ?? 0),
    reasoningTokens: plan.reasoning?.pieces.length ?? 0,
  },
});

const planOf = (response: ChatResponse, pieces: readonly string[]): CompletionPlan => planWith(response, pieces, 1_700_000_000);

describe("OpenAI codec — a request encoded by the adapter decodes to what was asked", () => {
  const request: ChatRequest = {
    model: "deepseek-reasoner",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Zürich?" },
      { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Zürich"}' }] },
      { role: "tool", toolCallId: "call_1", content: "sunny" },
      { role: "user", content: [{ type: "text", text: "And tomorrow?" }, { type: "image", url: "data:image/png;base64,AAAA" }] },
    ],
    tools: [{ name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
    toolChoice: { name: "get_weather" },
    responseFormat: { type: "json_schema", name: "weather", schema: { type: "object" } },
    maxTokens: 64,
    stop: ["END"],
    n: 2,
    reasoning: { effort: "high" },
  };

  it("streamed, with every field the simulator plans from", () => {
    const decoded = parseOpenAIRequest(toOpenAIRequest(request, { provider: "openai-compatible", stream: true }));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.request).toMatchObject({
      model: "deepseek-reasoner",
      stream: true,
      includeUsage: true,
      maxTokens: 64,
      stop: ["END"],
      tools: [{ name: "get_weather", parameters: request.tools![0]!.parameters }],
      toolChoice: { name: "get_weather" },
      responseFormat: { type: "json_schema", schema: { type: "object" } },
      lastRole: "user",
      lastUserText: "And tomorrow?",
      choices: 2,
      reasoning: {},
    });
  });

  it("plain, with max_completion_tokens, and without reasoning when none was asked", () => {
    const plain: ChatRequest = { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], maxTokens: 5 };
    const decoded = parseOpenAIRequest(toOpenAIRequest(plain, { provider: "openai", stream: false, maxTokensField: "max_completion_tokens" }));
    expect(decoded.ok && decoded.request).toMatchObject({ model: "gpt-4o", stream: false, includeUsage: false, maxTokens: 5, toolChoice: "auto", responseFormat: { type: "text" } });
    expect(decoded.ok && decoded.request.reasoning).toBeUndefined();
  });
});

describe("OpenAI codec — an answer encoded by the simulator and the fakes decodes to what was planned", () => {
  it("a body: text with reasoning_content, and a tool call", () => {
    for (const plan of [TEXT, TOOL]) {
      const body: unknown = JSON.parse(renderOpenAIBody(plan));
      expect(parseOpenAIResponse(body, context)).toEqual(expectedResponse(plan));
    }
  });

  it("a stream: reasoning deltas before the text, the tool call's fragments, usage when asked and unasked on the finish chunk", async () => {
    for (const usageOptions of [{ includeUsage: true }, { includeUsage: false, usageOnFinishChunk: true }]) {
      const events = await decodeStream(joined(renderOpenAIStream(TEXT, { ...usageOptions, lineEnding: "\n" })));
      expect(reasoningOf(events)).toBe("A sea is asked.");
      expect(events.findIndex((event) => event.type === "text-delta")).toBeGreaterThan(events.findLastIndex((event) => event.type === "reasoning-delta"));
      expect(textOf(events)).toBe("The Baltic héllo 日本 🚀");
      expect(events.at(-1)).toEqual({ type: "finish", finish: { unified: "stop", raw: "stop" }, usage: expectedResponse(TEXT).usage, model: TEXT.model, id: TEXT.id });
    }
    const tool = await decodeStream(joined(renderOpenAIStream(TOOL, { includeUsage: false, lineEnding: "\r\n" })));
    expect(assembleToolCalls(tool)).toEqual([{ index: 0, id: "call_roundtrip", name: "get_weather", arguments: '{"city":"Zürich"}' }]);
    expect(tool.at(-1)).toMatchObject({ type: "finish", finish: { unified: "tool_calls" }, usage: null });
  });

  it("Azure's flavour: filter verdicts around the same answer", async () => {
    const { reasoning: _dropped, ...plain } = TEXT;
    const expected = expectedResponse(plain);
    expect(parseOpenAIResponse(JSON.parse(renderAzureBody(plain)), context)).toEqual(expected);
    const events = await decodeStream(joined(renderAzureStream(plain, { includeUsage: true, lineEnding: "\n" })));
    expect(textOf(events)).toBe("The Baltic héllo 日本 🚀");
    expect(events.at(-1)).toMatchObject({ type: "finish", usage: expected.usage });
  });
});

describe("OpenAI codec — recorded answers are the decoders' ground truth", () => {
  it("OpenAI's recorded bodies decode, encode again with every recorded field, and decode the same", () => {
    for (const name of ["chat-completion.json", "chat-completion-tool-calls.json"]) {
      const recorded: unknown = JSON.parse(fixture("openai", name));
      const decoded = parseOpenAIResponse(recorded, context);
      const firstCall = decoded.message.toolCalls?.slice(0, 1) ?? [];
      const encoded: unknown = JSON.parse(renderOpenAIBody(planOf(decoded, [decoded.message.content ?? ""])));
      expect(missingPaths(recorded, encoded)).toEqual([]);
      // A plan counts reasoning tokens only with reasoning text, which OpenAI does not send.
      expect(parseOpenAIResponse(encoded, context)).toEqual({ ...decoded, message: { ...decoded.message, toolCalls: firstCall }, usage: { ...decoded.usage, reasoningTokens: 0 } });
    }
  });

  it("OpenAI's recorded streams decode, encode again chunk for chunk, and decode the same", async () => {
    for (const name of ["stream-text.sse", "stream-tool-calls.sse"]) {
      const recorded = fixture("openai", name);
      const events = await decodeStream(recorded);
      const { finish, pieces, calls, response } = streamedAnswer(events);
      const encoded = joined(renderOpenAIStream(planOf(response, pieces), { includeUsage: finish.usage !== null, lineEnding: "\n" }));
      const firstChunk = (text: string): unknown => JSON.parse(text.split("\n\n")[0]!.slice("data: ".length));
      expect(missingPaths(firstChunk(recorded), firstChunk(encoded)).filter((path) => path !== ".obfuscation")).toEqual([]);
      const again = await decodeStream(encoded);
      expect(textOf(again)).toBe(textOf(events));
      expect(assembleToolCalls(again)).toEqual(calls);
      expect(again.at(-1)).toEqual(finish);
    }
  });

  it("Azure's recorded body and stream keep their shape through the Azure encoders", async () => {
    const recorded: unknown = JSON.parse(fixture("azure", "chat-completion.json"));
    const decoded = parseOpenAIResponse(recorded, context);
    const encoded: unknown = JSON.parse(renderAzureBody(planOf(decoded, [decoded.message.content ?? ""])));
    expect(missingPaths(recorded, encoded)).toEqual([]);
    expect(parseOpenAIResponse(encoded, context)).toEqual(decoded);

    const stream = fixture("azure", "stream-text.sse");
    const events = await decodeStream(stream);
    const { finish, pieces, response: streamed } = streamedAnswer(events);
    const response: ChatResponse = { ...streamed, usage: finish.usage ?? decoded.usage };
    const again = await decodeStream(joined(renderAzureStream(planOf(response, pieces), { includeUsage: finish.usage !== null, lineEnding: "\n" })));
    expect(textOf(again)).toBe(textOf(events));
    expect(again.at(-1)).toMatchObject({ type: "finish", finish: finish.finish, id: finish.id, model: finish.model });
  });
});
