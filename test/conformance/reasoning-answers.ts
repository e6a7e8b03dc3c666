/**
 * What each provider answers a reasoning model's request with, in its own wire format (non-streamed):
 * the thinking text where the provider returns one, then the answer. OpenAI's and Azure's Chat
 * Completions return no reasoning text, only a count of reasoning tokens.
 */
import type { Provider } from "./conformance-types.js";

export const THINKING = "The user asks for a sea. The Baltic is one.";
export const ANSWER = "The Baltic Sea.";

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
            { type: "thinking", thinking: THINKING, signature: "sig-conformance" },
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
          output: { message: { role: "assistant", content: [{ reasoningContent: { reasoningText: { text: THINKING, signature: "sig-conformance" } } }, { text: ANSWER }] } },
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
