import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChatEvent, ChatRequest } from "../../../core/index.js";
import { sseEvents } from "../../http/sse-events.js";
import { collectEvents } from "../../http/testing/adapter-test-helpers.js";
import { anthropicStreamEvents } from "./anthropic-stream-events.js";
import type { AnthropicAnswer } from "./anthropic-wire-types.js";
import { classifyAnthropicError } from "./classify-anthropic-error.js";
import { decodeAnthropicRequest } from "./decode-anthropic-request.js";
import { encodeAnthropicError } from "./encode-anthropic-error.js";
import { encodeAnthropicRateLimitHeaders } from "./encode-anthropic-rate-limit-headers.js";
import { encodeAnthropicResponse } from "./encode-anthropic-response.js";
import { encodeAnthropicStream } from "./encode-anthropic-stream.js";
import { parseAnthropicResponse } from "./parse-anthropic-response.js";
import { readAnthropicRateLimitHeaders } from "./read-anthropic-rate-limit-headers.js";
import { toAnthropicRequest } from "./to-anthropic-request.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const context = { provider: "anthropic", model: "claude-asked" };

async function* bytes(text: string, size = 5): AsyncGenerator<Uint8Array> {
  const all = Buffer.from(text);
  for (let offset = 0; offset < all.length; offset += size) yield all.subarray(offset, offset + size);
}

const decodeStream = (text: string): Promise<ChatEvent[]> => collectEvents(anthropicStreamEvents(sseEvents(bytes(text)), context));
const streamText = (answer: AnthropicAnswer): string => encodeAnthropicStream(answer).map((event) => event.text).join("");

/** The answer a recorded message holds, in the encoder's terms (text split in two pieces, tool input in two). */
function answerOf(message: Record<string, any>): AnthropicAnswer {
  const split = (text: string): string[] => [text.slice(0, Math.ceil(text.length / 2)), text.slice(Math.ceil(text.length / 2))];
  return {
    id: message.id,
    model: message.model,
    blocks: message.content.map((block: Record<string, any>) =>
      block.type === "thinking"
        ? { type: "thinking", pieces: split(block.thinking), signature: block.signature }
        : block.type === "text"
          ? { type: "text", pieces: split(block.text) }
          : { type: "tool_use", id: block.id, name: block.name, inputPieces: split(JSON.stringify(block.input)) },
    ),
    stopReason: message.stop_reason,
    usage: {
      input_tokens: message.usage.input_tokens,
      cache_creation_input_tokens: message.usage.cache_creation_input_tokens,
      cache_read_input_tokens: message.usage.cache_read_input_tokens,
      output_tokens: message.usage.output_tokens,
    },
  };
}

describe("the Anthropic codec", () => {
  it("decodes the request the adapter encodes", () => {
    const request: ChatRequest = {
      model: "claude-sonnet-4",
      maxTokens: 300,
      stop: ["END"],
      reasoning: { effort: "low" },
      messages: [
        { role: "system", content: "Be terse." },
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: null, toolCalls: [{ id: "toolu_1", name: "get_weather", arguments: '{"city":"Paris"}' }], reasoning: "Look it up.", reasoningSignature: "c2ln" },
        { role: "tool", toolCallId: "toolu_1", content: "21°C" },
      ],
      tools: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
      // Thinking takes only tool_choice auto or none (sampling-under-thinking.ts).
      toolChoice: "auto",
    };
    const decoded = decodeAnthropicRequest(JSON.parse(JSON.stringify(toAnthropicRequest(request, { provider: "anthropic", stream: true }))));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.request).toMatchObject({
      model: "claude-sonnet-4",
      maxTokens: 2348,
      stream: true,
      stop: ["END"],
      tools: [{ name: "get_weather", parameters: request.tools?.[0]?.parameters }],
      toolChoice: "auto",
      lastRole: "tool",
      lastUserText: "",
      toolResults: [{ toolUseId: "toolu_1", text: "21°C" }],
      thinking: { budgetTokens: 2048 },
      system: "Be terse.",
    });
    expect(decodeAnthropicRequest({ model: "m", messages: [] })).toEqual({ ok: false, message: "max_tokens: Field required" });
  });

  it.each(["message.json", "message-tool-use.json"])("encodes %s so the adapter reads what it reads from the recording", (name) => {
    const recorded = JSON.parse(fixture(name)) as Record<string, unknown>;
    const answer = answerOf(recorded);
    const expected = parseAnthropicResponse(recorded, context);
    expect(parseAnthropicResponse(JSON.parse(encodeAnthropicResponse(answer)), context)).toEqual(expected);
    if (name === "message.json") expect(JSON.parse(encodeAnthropicResponse(answer))).toEqual(recorded);
  });

  it("streams an answer the adapter reads as the same message, thinking and signature included", async () => {
    const recorded = JSON.parse(fixture("message-tool-use.json")) as Record<string, unknown>;
    const answer = answerOf(recorded);
    const whole = parseAnthropicResponse(recorded, context);
    const events = await decodeStream(streamText(answer));
    expect(events.filter((e) => e.type === "reasoning-delta").map((e) => (e.type === "reasoning-delta" ? e.text : "")).join("")).toBe(whole.message.reasoning);
    expect(events).toContainEqual({ type: "reasoning-signature", signature: whole.message.reasoningSignature });
    expect(events.filter((e) => e.type === "text-delta").map((e) => (e.type === "text-delta" ? e.text : "")).join("")).toBe(whole.message.content);
    const calls = whole.message.toolCalls.map((call, index) => ({
      ...call,
      arguments: events.filter((e) => e.type === "tool-call-delta" && e.index === index).map((e) => (e.type === "tool-call-delta" ? e.argumentsDelta : "")).join(""),
    }));
    expect(calls).toEqual(whole.message.toolCalls);
    expect(events.at(-1)).toEqual({ type: "finish", finish: whole.finish, usage: whole.usage, model: whole.model, id: whole.id });
  });

  it("reads a recorded stream and its re-encoding alike", async () => {
    const recorded = await decodeStream(fixture("stream-text.sse"));
    const text = recorded.map((e) => (e.type === "text-delta" ? e.text : "")).join("");
    const finish = recorded.at(-1);
    if (finish?.type !== "finish" || finish.usage === null) throw new Error("no finish");
    const answer: AnthropicAnswer = {
      id: finish.id,
      model: finish.model,
      blocks: [{ type: "text", pieces: ["Hello, héllo", " 日本 🚀!"] }],
      stopReason: "end_turn",
      usage: { input_tokens: 11, cache_creation_input_tokens: 0, cache_read_input_tokens: 1024, output_tokens: finish.usage.outputTokens },
    };
    expect(answer.blocks[0]?.type === "text" && answer.blocks[0].pieces.join("")).toBe(text);
    expect(await decodeStream(streamText(answer))).toEqual(recorded);
  });

  it("writes rate-limit headers and errors the adapter reads back", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const headers = encodeAnthropicRateLimitHeaders(
      { limitRequests: 50, remainingRequests: 49, resetRequestsMs: 2000, limitTokens: 80_000, remainingTokens: 71_400, resetTokensMs: 500 },
      now,
    );
    expect(readAnthropicRateLimitHeaders(headers, () => now)).toEqual({
      limitRequests: 50,
      remainingRequests: 49,
      resetRequestsMs: 2000,
      limitTokens: 80_000,
      remainingTokens: 71_000,
      resetTokensMs: 1000,
    });
    const error = classifyAnthropicError({ provider: "anthropic", status: 529, bodyText: encodeAnthropicError("overloaded_error", "Overloaded", "req_1") });
    expect(error).toMatchObject({ kind: "overloaded", status: 529, code: "overloaded_error", message: expect.stringContaining("Overloaded") });
  });
});
