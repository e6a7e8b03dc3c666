import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChatEvent, ChatRequest } from "../../../core/index.js";
import { collectEvents } from "../../http/testing/adapter-test-helpers.js";
import { classifyGeminiError } from "./classify-gemini-error.js";
import { decodeGeminiRequest } from "./decode-gemini-request.js";
import { encodeGeminiError } from "./encode-gemini-error.js";
import { encodeGeminiResponse } from "./encode-gemini-response.js";
import { encodeGeminiStream } from "./encode-gemini-stream.js";
import { decodeGeminiThoughtSignature } from "./gemini-tool-call-id.js";
import { decodeGeminiEmbedRequest, encodeGeminiEmbeddings, parseGeminiEmbeddings, toGeminiEmbedBody } from "./gemini-embeddings.js";
import { geminiStreamEvents } from "./gemini-stream-events.js";
import { geminiStreamPayloads } from "./gemini-stream-payloads.js";
import type { GeminiAnswer, GeminiAnswerPart } from "./gemini-wire-types.js";
import { parseGeminiResponse } from "./parse-gemini-response.js";
import { toGeminiRequest } from "./to-gemini-request.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const context = { provider: "gemini", model: "gemini-asked" };

async function* chunks(text: string, size = 9): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

const decodeStream = (text: string): Promise<ChatEvent[]> => collectEvents(geminiStreamEvents(geminiStreamPayloads(chunks(text)), context));
const streamText = (answer: GeminiAnswer): string => encodeGeminiStream(answer, { sse: true }).map((event) => event.text).join("");
const joined = (events: ChatEvent[], type: "text-delta" | "reasoning-delta"): string =>
  events.map((e) => (e.type === type ? e.text : "")).join("");

/** The answer a recorded GenerateContentResponse holds, in the encoder's terms. */
function answerOf(body: Record<string, any>): GeminiAnswer {
  const candidate = body.candidates[0];
  return {
    responseId: body.responseId,
    modelVersion: body.modelVersion,
    parts: candidate.content.parts.map((part: Record<string, any>): GeminiAnswerPart => {
      const signature = typeof part.thoughtSignature === "string" ? { thoughtSignature: part.thoughtSignature } : {};
      if (part.functionCall !== undefined) return { type: "functionCall", name: part.functionCall.name, args: JSON.stringify(part.functionCall.args), ...signature };
      return part.thought === true ? { type: "thought", pieces: [part.text] } : { type: "text", pieces: [part.text], ...signature };
    }),
    finishReason: candidate.finishReason,
    usage: {
      promptTokenCount: body.usageMetadata.promptTokenCount,
      candidatesTokenCount: body.usageMetadata.candidatesTokenCount,
      cachedContentTokenCount: body.usageMetadata.cachedContentTokenCount ?? 0,
      thoughtsTokenCount: body.usageMetadata.thoughtsTokenCount ?? 0,
    },
  };
}

describe("the Gemini codec", () => {
  it("decodes the request the adapter encodes", () => {
    const request: ChatRequest = {
      model: "gemini-2.5-flash",
      maxTokens: 500,
      stop: ["END"],
      reasoning: { effort: "low" },
      responseFormat: { type: "json_object" },
      messages: [
        { role: "system", content: "Be terse." },
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: null, toolCalls: [{ id: "call_0", name: "get_weather", arguments: '{"city":"Paris"}' }] },
        { role: "tool", toolCallId: "call_0", content: '{"celsius":21}' },
      ],
      tools: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
      toolChoice: { name: "get_weather" },
    };
    const decoded = decodeGeminiRequest(JSON.parse(JSON.stringify(toGeminiRequest(request, { provider: "gemini" }))));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.request).toMatchObject({
      maxTokens: 500,
      stop: ["END"],
      tools: [{ name: "get_weather" }],
      toolChoice: { name: "get_weather" },
      responseFormat: { type: "json_object" },
      lastRole: "tool",
      lastUserText: "",
      functionResults: [{ name: "get_weather", response: { celsius: 21 } }],
      thinking: { budgetTokens: 2048 },
      systemInstruction: { parts: [{ text: "Be terse." }] },
    });
    expect(decodeGeminiRequest({ contents: [] })).toMatchObject({ ok: false });
  });

  it.each(["generate-content-text.json", "generate-content-tool-calls.json"])(
    "encodes %s so the adapter reads what it reads from the recording, streamed too",
    async (name) => {
      const recorded = JSON.parse(fixture(name)) as Record<string, unknown>;
      const answer = answerOf(recorded);
      const expected = parseGeminiResponse(recorded, context);
      expect(parseGeminiResponse(JSON.parse(encodeGeminiResponse(answer)), context)).toEqual(expected);

      const events = await decodeStream(streamText(answer));
      expect(joined(events, "text-delta")).toBe(expected.message.content ?? "");
      expect(events.filter((e) => e.type === "tool-call-delta")).toEqual(
        expected.message.toolCalls.map((call, index) => ({ type: "tool-call-delta", index, id: call.id, name: call.name, argumentsDelta: call.arguments })),
      );
      expect(events.at(-1)).toEqual({ type: "finish", finish: expected.finish, usage: expected.usage, model: expected.model, id: expected.id });
    },
  );

  it("reads a recorded stream and its re-encoding alike", async () => {
    const recorded = await decodeStream(fixture("stream-text.sse"));
    const answer: GeminiAnswer = {
      responseId: "st-1",
      modelVersion: "gemini-2.0-flash",
      parts: [{ type: "text", pieces: ["The", " capital of Wyoming — héllo 日本 🚀", " is **Cheyenne**.\n"] }],
      finishReason: "STOP",
      usage: { promptTokenCount: 7, candidatesTokenCount: 10, cachedContentTokenCount: 4, thoughtsTokenCount: 0 },
    };
    expect(await decodeStream(streamText(answer))).toEqual(recorded);
  });

  it("carries thought summaries and a function call's thought signature through", async () => {
    const answer: GeminiAnswer = {
      responseId: "r-1",
      modelVersion: "gemini-2.5-pro",
      parts: [
        { type: "thought", pieces: ["Weather", " needs a tool."] },
        { type: "functionCall", name: "get_weather", args: '{"city":"Paris"}', thoughtSignature: "c2lnbmVk" },
      ],
      finishReason: "STOP",
      usage: { promptTokenCount: 20, candidatesTokenCount: 5, cachedContentTokenCount: 0, thoughtsTokenCount: 3 },
    };
    const whole = parseGeminiResponse(JSON.parse(encodeGeminiResponse(answer)), context);
    expect(whole.message.reasoning).toBe("Weather needs a tool.");
    expect(decodeGeminiThoughtSignature(whole.message.toolCalls[0]?.id ?? "")).toBe("c2lnbmVk");
    expect(whole.usage).toMatchObject({ outputTokens: 8, reasoningTokens: 3 });
    const events = await decodeStream(streamText(answer));
    expect(joined(events, "reasoning-delta")).toBe("Weather needs a tool.");
    expect(events.find((e) => e.type === "tool-call-delta")).toMatchObject({ id: whole.message.toolCalls[0]?.id, argumentsDelta: '{"city":"Paris"}' });
  });

  it("writes errors the adapter reads back", () => {
    const body = encodeGeminiError(429, "RESOURCE_EXHAUSTED", "quota", [`{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"}`]);
    expect(classifyGeminiError({ provider: "gemini", status: 429, bodyText: body })).toMatchObject({ kind: "rate_limit", status: 429, retryAfterMs: 2000 });
  });

  it("decodes the embedding request the adapter encodes and encodes vectors the adapter reads", () => {
    const request = { model: "text-embedding-004", input: ["héllo", "world"], dimensions: 3 };
    expect(decodeGeminiEmbedRequest(JSON.parse(JSON.stringify(toGeminiEmbedBody(request))), "text-embedding-004")).toEqual({
      model: "text-embedding-004",
      texts: ["héllo", "world"],
      dimensions: 3,
    });
    const vectors = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]];
    expect(parseGeminiEmbeddings(JSON.parse(encodeGeminiEmbeddings(vectors)), { provider: "gemini", request }).vectors).toEqual(vectors);
  });
});
