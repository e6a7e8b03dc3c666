import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChatEvent, ChatRequest } from "../../../core/index.js";
import { collectEvents } from "../../http/testing/adapter-test-helpers.js";
import { decodeBedrockEmbedRequest, encodeBedrockEmbeddings, parseCohereEmbeddings, parseTitanEmbedding, toCohereEmbedBody, toTitanEmbedBody } from "./bedrock-embeddings.js";
import { bedrockStreamEvents } from "./bedrock-stream-events.js";
import type { BedrockAnswer } from "./bedrock-wire-types.js";
import { classifyBedrockError } from "./classify-bedrock-error.js";
import { decodeBedrockRequest } from "./decode-bedrock-request.js";
import { encodeBedrockError } from "./encode-bedrock-error.js";
import { encodeBedrockResponse } from "./encode-bedrock-response.js";
import { encodeBedrockStream } from "./encode-bedrock-stream.js";
import { eventStreamMessages } from "./event-stream-messages.js";
import { parseBedrockResponse } from "./parse-bedrock-response.js";
import { toBedrockRequest } from "./to-bedrock-request.js";

const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));
const context = { provider: "bedrock", model: "anthropic.claude-sonnet-4", id: "req-1" };

async function* chunks(bytes: Buffer, size = 11): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

const decodeStream = (answer: BedrockAnswer): Promise<ChatEvent[]> => {
  const bytes = Buffer.concat(encodeBedrockStream(answer).map((event) => (typeof event.text === "string" ? Buffer.from(event.text) : event.text)));
  return collectEvents(bedrockStreamEvents(eventStreamMessages(chunks(bytes), { provider: "bedrock" }), context));
};

const split = (text: string): string[] => [text.slice(0, Math.ceil(text.length / 2)), text.slice(Math.ceil(text.length / 2))];

/** The answer a recorded Converse body holds, in the encoder's terms. */
function answerOf(body: Record<string, any>): BedrockAnswer {
  return {
    blocks: body.output.message.content.map((block: Record<string, any>) =>
      block.reasoningContent !== undefined
        ? { type: "reasoning", pieces: split(block.reasoningContent.reasoningText.text), signature: block.reasoningContent.reasoningText.signature }
        : block.text !== undefined
          ? { type: "text", pieces: split(block.text) }
          : { type: "toolUse", toolUseId: block.toolUse.toolUseId, name: block.toolUse.name, inputPieces: split(JSON.stringify(block.toolUse.input)) },
    ),
    stopReason: body.stopReason,
    usage: {
      inputTokens: body.usage.inputTokens,
      outputTokens: body.usage.outputTokens,
      cacheReadInputTokens: body.usage.cacheReadInputTokens,
      cacheWriteInputTokens: body.usage.cacheWriteInputTokens,
    },
    latencyMs: body.metrics.latencyMs,
  };
}

const SIGNED = {
  output: {
    message: {
      role: "assistant",
      content: [{ reasoningContent: { reasoningText: { text: "Two plus two.", signature: "RXFzaWduYXR1cmU=" } } }, { text: "4" }],
    },
  },
  stopReason: "end_turn",
  usage: { inputTokens: 9, outputTokens: 12, totalTokens: 21, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
  metrics: { latencyMs: 300 },
};

describe("the Bedrock codec", () => {
  it("decodes the request the adapter encodes", () => {
    const request: ChatRequest = {
      model: "anthropic.claude-sonnet-4",
      maxTokens: 400,
      stop: ["END"],
      reasoning: { effort: "low" },
      messages: [
        { role: "system", content: "Be terse." },
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: null, toolCalls: [{ id: "tooluse_1", name: "get_weather", arguments: '{"city":"Paris"}' }] },
        { role: "tool", toolCallId: "tooluse_1", content: "21°C" },
      ],
      tools: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
      // Claude with thinking takes only tool choice auto (sampling-under-thinking.ts).
      toolChoice: "auto",
    };
    const decoded = decodeBedrockRequest(JSON.parse(JSON.stringify(toBedrockRequest(request, { provider: "bedrock" }))));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.request).toMatchObject({
      maxTokens: 400,
      stop: ["END"],
      tools: [{ name: "get_weather", parameters: request.tools?.[0]?.parameters }],
      toolChoice: "auto",
      lastRole: "tool",
      reasoning: { budgetTokens: 2048 },
      system: [{ text: "Be terse." }],
    });
    expect(decodeBedrockRequest({ messages: [] })).toMatchObject({ ok: false });
  });

  it.each(["converse-text.json", "converse-tool-use.json"])("encodes %s so the adapter reads what it reads from the recording", async (name) => {
    const recorded = fixture(name);
    const answer = answerOf(recorded);
    const expected = parseBedrockResponse(recorded, context);
    expect(parseBedrockResponse(JSON.parse(encodeBedrockResponse(answer)), context)).toEqual(expected);
    if (name === "converse-text.json") expect(JSON.parse(encodeBedrockResponse(answer))).toEqual(recorded);

    const events = await decodeStream(answer);
    expect(events.map((e) => (e.type === "text-delta" ? e.text : "")).join("")).toBe(expected.message.content ?? "");
    const calls = expected.message.toolCalls.map((call, index) => ({
      ...call,
      arguments: events.filter((e) => e.type === "tool-call-delta" && e.index === index).map((e) => (e.type === "tool-call-delta" ? e.argumentsDelta : "")).join(""),
    }));
    expect(calls).toEqual(expected.message.toolCalls);
    expect(events.at(-1)).toEqual({ type: "finish", finish: expected.finish, usage: expected.usage, model: context.model, id: context.id });
  });

  it("keeps a reasoning signature from an answer, streamed or not, to the next request", async () => {
    const answer = answerOf(SIGNED);
    const response = parseBedrockResponse(JSON.parse(encodeBedrockResponse(answer)), context);
    expect(response.message).toMatchObject({ content: "4", reasoning: "Two plus two.", reasoningSignature: "RXFzaWduYXR1cmU=" });

    const events = await decodeStream(answer);
    expect(events.map((e) => (e.type === "reasoning-delta" ? e.text : "")).join("")).toBe("Two plus two.");
    expect(events).toContainEqual({ type: "reasoning-signature", signature: "RXFzaWduYXR1cmU=" });

    const { content, reasoning, reasoningSignature } = response.message;
    const earlier = { role: "assistant" as const, content, reasoning: reasoning ?? undefined, reasoningSignature: reasoningSignature ?? undefined };
    const next = toBedrockRequest({ model: context.model, messages: [{ role: "user", content: "2+2?" }, earlier, { role: "user", content: "And 3+3?" }] }, { provider: "bedrock" });
    expect((next.messages as Array<{ content: unknown[] }>)[1]?.content).toEqual([
      { reasoningContent: { reasoningText: { text: "Two plus two.", signature: "RXFzaWduYXR1cmU=" } } },
      { text: "4" },
    ]);
  });

  it("writes errors the adapter reads back", () => {
    const { body, headers } = encodeBedrockError("ThrottlingException", "Too many requests", "req-9");
    const error = classifyBedrockError({ provider: "bedrock", status: 429, headers, bodyText: body });
    expect(error).toMatchObject({ kind: "rate_limit", status: 429, message: expect.stringContaining("Too many requests") });
  });

  it("decodes the embedding requests the adapter encodes and encodes vectors the adapter reads", () => {
    const titan = "amazon.titan-embed-text-v2:0";
    expect(decodeBedrockEmbedRequest(JSON.parse(JSON.stringify(toTitanEmbedBody("héllo", 4))), titan)).toEqual({ model: titan, texts: ["héllo"], dimensions: 4 });
    expect(parseTitanEmbedding(JSON.parse(encodeBedrockEmbeddings([[1, 0, 0, 0]], 3, titan)), "bedrock", "héllo")).toEqual({ vector: [1, 0, 0, 0], tokens: 3 });

    const cohere = "cohere.embed-english-v3";
    const request = { model: cohere, input: ["a", "b"] };
    expect(decodeBedrockEmbedRequest(JSON.parse(JSON.stringify(toCohereEmbedBody(request))), cohere)).toEqual({ model: cohere, texts: ["a", "b"] });
    const vectors = [[0.5, 0.5], [0.25, 0.75]];
    expect(parseCohereEmbeddings(JSON.parse(encodeBedrockEmbeddings(vectors, 2, cohere)), "bedrock", request).vectors).toEqual(vectors);
  });
});
