/**
 * What each provider answers a reasoning model's request with, in its own wire format, whole and
 * streamed: the thinking text where the provider returns one, then the answer. OpenAI's and Azure's
 * Chat Completions return no reasoning text, only a count of reasoning tokens. The conformance
 * upstream answers with these, and so does test/e2e/reasoning-doors.test.ts's Anthropic upstream.
 */
import { encodeBedrockEvent } from "../../src/providers/bedrock/wire/encode-bedrock-frame.js";
import type { Provider } from "./conformance-types.js";

export const THINKING = "The user asks for a sea. The Baltic is one.";
export const ANSWER = "The Baltic Sea.";
/** The signature Anthropic and Bedrock send with the thinking text. */
export const SIGNATURE = "sig-conformance";

/** The thinking text as a stream sends it, in two pieces. */
const THINKING_PIECES = [THINKING.slice(0, 17), THINKING.slice(17)];

export interface ReasoningAnswer {
  /** The reasoning text the answer carries, when the provider sends one. */
  thinking?: string;
  body: Record<string, unknown>;
}

const openAIBody = (model: string, message: Record<string, unknown>) => ({
  id: "chatcmpl-conformance",
  object: "chat.completion",
  created: 1_700_000_000,
  model,
  choices: [{ index: 0, message: { role: "assistant", content: ANSWER, ...message }, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 40, total_tokens: 52, completion_tokens_details: { reasoning_tokens: 36 } },
});

export function reasoningAnswer(provider: Provider, model: string): ReasoningAnswer {
  switch (provider) {
    case "openai":
    case "azure":
      return { body: openAIBody(model, {}) };
    case "openai-compatible":
      return { thinking: THINKING, body: openAIBody(model, { reasoning_content: THINKING }) };
    case "anthropic":
      return {
        thinking: THINKING,
        body: {
          id: "msg_conformance",
          type: "message",
          role: "assistant",
          model,
          content: [
            { type: "thinking", thinking: THINKING, signature: SIGNATURE },
            { type: "text", text: ANSWER },
          ],
          stop_reason: "end_turn",
          stop_sequence: null,
          usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 40 },
        },
      };
    case "gemini":
      return {
        thinking: THINKING,
        body: {
          candidates: [{ content: { role: "model", parts: [{ text: THINKING, thought: true }, { text: ANSWER }] }, finishReason: "STOP", index: 0 }],
          usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 4, thoughtsTokenCount: 36, totalTokenCount: 52 },
          modelVersion: model,
          responseId: "conformance",
        },
      };
    case "bedrock":
      return {
        thinking: THINKING,
        body: {
          output: { message: { role: "assistant", content: [{ reasoningContent: { reasoningText: { text: THINKING, signature: SIGNATURE } } }, { text: ANSWER }] } },
          stopReason: "end_turn",
          usage: { inputTokens: 12, outputTokens: 40, totalTokens: 52 },
          metrics: { latencyMs: 10 },
        },
      };
    case "ollama":
      return {
        thinking: THINKING,
        body: {
          model,
          created_at: "2025-08-04T19:22:45.499127Z",
          message: { role: "assistant", content: ANSWER, thinking: THINKING },
          done: true,
          done_reason: "stop",
          prompt_eval_count: 12,
          eval_count: 40,
        },
      };
  }
}

export interface ReasoningStream {
  contentType: string;
  /** The body's pieces, each written on its own. */
  frames: Array<string | Buffer>;
}

const sse = (events: object[]) => events.map((event) => `data: ${JSON.stringify(event)}\n\n`);
const anthropicSse = (events: Array<{ type: string } & Record<string, unknown>>) => events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);

function openAIStream(model: string, reasoningField: string | undefined): string[] {
  const chunk = (delta: object, finish: string | null = null) => ({ id: "chatcmpl-conformance", object: "chat.completion.chunk", created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: finish }] });
  const thinking = reasoningField === undefined ? [] : THINKING_PIECES.map((piece) => chunk({ [reasoningField]: piece }));
  return [
    ...sse([
      chunk({ role: "assistant", content: "" }),
      ...thinking,
      chunk({ content: "The Baltic" }),
      chunk({ content: " Sea." }),
      chunk({}, "stop"),
      { id: "chatcmpl-conformance", object: "chat.completion.chunk", created: 1_700_000_000, model, choices: [], usage: { prompt_tokens: 12, completion_tokens: 40, total_tokens: 52, completion_tokens_details: { reasoning_tokens: 36 } } },
    ]),
    "data: [DONE]\n\n",
  ];
}

/** The same answer as reasoningAnswer's, streamed the provider's way. */
export function reasoningStream(provider: Provider, model: string): ReasoningStream {
  switch (provider) {
    case "openai":
    case "azure":
      return { contentType: "text/event-stream", frames: openAIStream(model, undefined) };
    case "openai-compatible":
      return { contentType: "text/event-stream", frames: openAIStream(model, "reasoning_content") };
    case "anthropic": {
      const usage = { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
      const start = { id: "msg_conformance", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } };
      return {
        contentType: "text/event-stream",
        frames: anthropicSse([
          { type: "message_start", message: start },
          { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } },
          ...THINKING_PIECES.map((thinking) => ({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking } })),
          { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: SIGNATURE } },
          { type: "content_block_stop", index: 0 },
          { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } },
          { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: ANSWER } },
          { type: "content_block_stop", index: 1 },
          { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 40 } },
          { type: "message_stop" },
        ]),
      };
    }
    case "gemini": {
      const chunk = (parts: object[], last = false) => ({
        candidates: [{ content: { role: "model", parts }, index: 0, ...(last ? { finishReason: "STOP" } : {}) }],
        ...(last ? { usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 4, thoughtsTokenCount: 36, totalTokenCount: 52 } } : {}),
        modelVersion: model,
        responseId: "conformance",
      });
      return { contentType: "text/event-stream", frames: sse([...THINKING_PIECES.map((text) => chunk([{ text, thought: true }])), chunk([{ text: ANSWER }], true)]) };
    }
    case "bedrock":
      return {
        contentType: "application/vnd.amazon.eventstream",
        frames: [
          encodeBedrockEvent("messageStart", { role: "assistant" }),
          ...THINKING_PIECES.map((text) => encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { reasoningContent: { text } } })),
          encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { reasoningContent: { signature: SIGNATURE } } }),
          encodeBedrockEvent("contentBlockStop", { contentBlockIndex: 0 }),
          encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: 1, delta: { text: ANSWER } }),
          encodeBedrockEvent("contentBlockStop", { contentBlockIndex: 1 }),
          encodeBedrockEvent("messageStop", { stopReason: "end_turn" }),
          encodeBedrockEvent("metadata", { usage: { inputTokens: 12, outputTokens: 40, totalTokens: 52 }, metrics: { latencyMs: 10 } }),
        ],
      };
    case "ollama": {
      const line = (message: object, done = false) => `${JSON.stringify({ model, created_at: "2025-08-04T19:22:45.499127Z", message: { role: "assistant", content: "", ...message }, done, ...(done ? { done_reason: "stop", prompt_eval_count: 12, eval_count: 40 } : {}) })}\n`;
      return { contentType: "application/x-ndjson", frames: [...THINKING_PIECES.map((thinking) => line({ thinking })), line({ content: ANSWER }), line({}, true)] };
    }
  }
}

/** Whether a request to a provider asks for a stream: its path (Gemini, Bedrock) or its body's `stream`. */
export const asksForStream = (path: string, body: Record<string, unknown> | undefined): boolean =>
  path.includes(":streamGenerateContent") || path.endsWith("/converse-stream") || body?.stream === true;
