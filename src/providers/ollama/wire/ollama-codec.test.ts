/**
 * The Ollama codec's directions against each other and against recorded answers: a request the
 * adapter encodes decodes (as the simulator and the fake server read it) to what was asked; an
 * answer the simulator and the fake server encode decodes (as the adapter reads it) to what was
 * planned; and the recorded fixtures, decoded by the adapter, survive being encoded again.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChatEvent, ChatRequest, ChatResponse } from "../../../core/index.js";
import type { CompletionPlan } from "../../../simulator/plan-completion.js";
import { ndjsonLines } from "../../http/ndjson-lines.js";
import { assembleToolCalls, collectEvents, textOf } from "../../http/testing/adapter-test-helpers.js";
import { bytesOf, joinedText as joined, missingPaths, planOf as planWith, reasoningOf, streamedAnswer } from "../../http/testing/codec-round-trip.js";
import { ollamaStreamEvents } from "./ollama-stream-events.js";
import { parseOllamaRequest } from "./parse-ollama-request.js";
import { parseOllamaResponse } from "./parse-ollama-response.js";
import { renderOllamaBody, type OllamaTiming } from "./render-ollama-body.js";
import { renderOllamaStream } from "./render-ollama-stream.js";
import { toOllamaRequest } from "./to-ollama-request.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const context = { provider: "ollama", model: "asked-model" };
const TIMING: OllamaTiming = { nowMs: Date.parse("2025-08-04T19:22:45.499Z"), firstTokenMs: 342.546, generationMs: 4_535.599 };

const decodeStream = (text: string): Promise<ChatEvent[]> => collectEvents(ollamaStreamEvents(ndjsonLines(bytesOf(text)), context));

const USAGE = { promptTokens: 26, completionTokens: 30, cachedTokens: 0, cacheWriteTokens: 0 };
const TEXT: CompletionPlan = {
  kind: "text",
  id: "",
  created: 1_754_335_365,
  model: "qwen3",
  usage: USAGE,
  pieces: ["The", " sky", " héllo 日本 🚀"],
  finishReason: "stop",
  reasoning: { pieces: ["Blue", " light", " scatters", " most."], signature: "" },
};
const TOOL: CompletionPlan = {
  kind: "tool-call",
  id: "",
  created: 1_754_335_365,
  model: "qwen3",
  usage: USAGE,
  toolCallId: "call_0",
  name: "get_weather",
  arguments: '{"city":"Zürich"}',
  argumentPieces: ['{"city":"Zürich"}'],
  finishReason: "tool_calls",
};

/** What the adapter should read back from a plan (Ollama reports no cache or reasoning split). */
const expectedResponse = (plan: CompletionPlan): ChatResponse => ({
  id: "",
  model: plan.model,
  message: {
    role: "assistant",
    content: plan.kind === "text" ? plan.pieces.join("") : null,
    toolCalls: plan.kind === "tool-call" ? [{ id: plan.toolCallId, name: plan.name, arguments: plan.arguments }] : [],
    ...(plan.reasoning !== undefined ? { reasoning: plan.reasoning.pieces.join("") } : {}),
  },
  finish: { unified: plan.finishReason, raw: "stop" },
  usage: { inputTokens: plan.usage.promptTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: plan.usage.completionTokens + (plan.reasoning?.pieces.length ?? 0), reasoningTokens: 0 },
});

const planOf = (response: ChatResponse, pieces: readonly string[]): CompletionPlan => planWith(response, pieces, 1_754_335_365);

describe("Ollama codec — a request encoded by the adapter decodes to what was asked", () => {
  it("tools, a JSON schema format, the token limit, stop strings and think", () => {
    const request: ChatRequest = {
      model: "qwen3",
      messages: [
        { role: "user", content: "Weather in Zürich?" },
        { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Zürich"}' }] },
        { role: "tool", toolCallId: "call_1", content: "sunny" },
      ],
      tools: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
      responseFormat: { type: "json_schema", name: "weather", schema: { type: "object" } },
      maxTokens: 64,
      stop: ["END"],
      reasoning: { effort: "medium" },
    };
    for (const stream of [true, false]) {
      const decoded = parseOllamaRequest(toOllamaRequest(request, { provider: "ollama", stream }));
      expect(decoded.ok && decoded.request).toMatchObject({
        model: "qwen3",
        stream,
        maxTokens: 64,
        stop: ["END"],
        tools: [{ name: "get_weather", parameters: request.tools![0]!.parameters }],
        responseFormat: { type: "json_schema", schema: { type: "object" } },
        lastRole: "tool",
        lastUserText: "Weather in Zürich?",
        reasoning: {},
      });
    }
    const gptOss = parseOllamaRequest(toOllamaRequest({ ...request, model: "gpt-oss:20b" }, { provider: "ollama", stream: false }));
    expect(gptOss.ok && gptOss.request.reasoning).toEqual({});
    const plain = parseOllamaRequest(toOllamaRequest({ model: "llama3.2", messages: [{ role: "user", content: "Hi" }] }, { provider: "ollama", stream: false }));
    expect(plain.ok && plain.request.reasoning).toBeUndefined();
  });
});

describe("Ollama codec — an answer encoded by the simulator and the fake decodes to what was planned", () => {
  it("a body: text with thinking, and a whole tool call", () => {
    for (const plan of [TEXT, TOOL]) expect(parseOllamaResponse(JSON.parse(renderOllamaBody(plan, TIMING)), context)).toEqual(expectedResponse(plan));
  });

  it("a stream: thinking lines before the text, then the done line with the counts", async () => {
    const events = await decodeStream(joined(renderOllamaStream(TEXT, TIMING)));
    expect(reasoningOf(events)).toBe("Blue light scatters most.");
    expect(events.findIndex((event) => event.type === "text-delta")).toBeGreaterThan(events.findLastIndex((event) => event.type === "reasoning-delta"));
    expect(textOf(events)).toBe("The sky héllo 日本 🚀");
    expect(events.at(-1)).toEqual({ type: "finish", finish: { unified: "stop", raw: "stop" }, usage: expectedResponse(TEXT).usage, model: "qwen3", id: "" });
    const tool = await decodeStream(joined(renderOllamaStream(TOOL, TIMING)));
    expect(assembleToolCalls(tool)).toEqual([{ index: 0, id: "call_0", name: "get_weather", arguments: '{"city":"Zürich"}' }]);
    expect(tool.at(-1)).toMatchObject({ type: "finish", finish: { unified: "tool_calls" } });
  });
});

describe("Ollama codec — recorded answers are the decoders' ground truth", () => {
  it("the recorded bodies decode, encode again with every recorded field, and decode the same", () => {
    for (const name of ["chat.json", "chat-tool-calls.json"]) {
      const recorded: unknown = JSON.parse(fixture(name));
      const decoded = parseOllamaResponse(recorded, context);
      const encoded: unknown = JSON.parse(renderOllamaBody(planOf(decoded, [decoded.message.content ?? ""]), TIMING));
      // A plan holds one call, written the classic way (no id): compare with the recorded first call.
      const firstCall = recorded as { message: { tool_calls?: unknown[] } };
      const calls = firstCall.message.tool_calls;
      const comparable = calls === undefined ? recorded : { ...firstCall, message: { ...firstCall.message, tool_calls: calls.slice(0, 1) } };
      expect(missingPaths(comparable, encoded)).toEqual([]);
      expect(parseOllamaResponse(encoded, context)).toEqual({ ...decoded, message: { ...decoded.message, toolCalls: decoded.message.toolCalls?.slice(0, 1) } });
    }
  });

  it("the recorded streams decode, encode again line for line, and decode the same", async () => {
    for (const name of ["stream-text.ndjson", "stream-tool-calls.ndjson", "stream-length.ndjson"]) {
      const recorded = fixture(name);
      const events = await decodeStream(recorded);
      const { finish, pieces, calls, response } = streamedAnswer(events);
      const encoded = joined(renderOllamaStream(planOf(response, pieces), TIMING));
      const lastLine = (text: string): unknown => JSON.parse(text.trim().split("\n").at(-1)!);
      expect(missingPaths(lastLine(recorded), lastLine(encoded))).toEqual([]);
      const again = await decodeStream(encoded);
      expect(textOf(again)).toBe(textOf(events));
      expect(assembleToolCalls(again)).toEqual(calls);
      expect(again.at(-1)).toEqual(finish);
    }
  });
});
