import type { ClientError, Usage } from "../../core/index.js";
import type { CompletionOutcome, StreamChunk } from "../../gateway/completion-types.js";

/**
 * A cache-write count where a provider reported one: OpenAI has no field for it, so it goes where
 * OpenRouter puts it (`prompt_tokens_details.cache_write_tokens`), only when there were writes.
 */
export const cacheWriteDetail = (usage: Usage) => (usage.cacheWriteTokens > 0 ? { cache_write_tokens: usage.cacheWriteTokens } : {});

/** Usage in OpenAI's shape. */
export function toOpenAIUsage(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens, ...cacheWriteDetail(usage) },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

const FINISH: Record<string, string> = { stop: "stop", length: "length", tool_calls: "tool_calls", content_filter: "content_filter", error: "stop" };

export function toOpenAICompletion(outcome: CompletionOutcome, created: number) {
  const { response } = outcome;
  return {
    id: `chatcmpl-${outcome.callId}`,
    object: "chat.completion",
    created,
    model: response.model,
    choices: (response.choices ?? [{ message: response.message, finish: response.finish }]).map((choice, index) => ({
      index,
      message: {
        role: "assistant",
        content: choice.message.content,
        refusal: null,
        // As DeepSeek and vLLM name it: clients that know the field read it, the others ignore it.
        ...(choice.message.reasoning ? { reasoning_content: choice.message.reasoning } : {}),
        ...(choice.message.toolCalls.length > 0
          ? { tool_calls: choice.message.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })) }
          : {}),
      },
      logprobs: null,
      finish_reason: FINISH[choice.finish.unified] ?? "stop",
    })),
    usage: toOpenAIUsage(response.usage),
    system_fingerprint: null,
  };
}

/**
 * One stream chunk as the `data:` JSON of an OpenAI chunk (or chunks: a done chunk gives each choice's
 * finish and, if asked, the usage of them all). `opened` holds the choices whose first delta has gone
 * (that one carries the role); the caller keeps it for the whole stream.
 */
export function toOpenAIChunks(chunk: Exclude<StreamChunk, { kind: "error" }>, model: string, created: number, includeUsage: boolean, opened: Set<number>): unknown[] {
  const id = `chatcmpl-${chunk.callId}`;
  if (chunk.kind === "delta") {
    const choice = chunk.choice ?? 0;
    const delta: Record<string, unknown> = opened.has(choice) ? {} : { role: "assistant" };
    opened.add(choice);
    if (chunk.reasoning !== undefined) delta.reasoning_content = chunk.reasoning;
    if (chunk.text !== undefined) delta.content = chunk.text;
    if (chunk.toolCallDeltas) {
      delta.tool_calls = chunk.toolCallDeltas.map((d) => ({
        index: d.index,
        ...(d.id ? { id: d.id, type: "function" } : {}),
        function: { ...(d.name ? { name: d.name } : {}), arguments: d.argumentsDelta },
      }));
    }
    return [openAIChunk(id, created, model, [{ index: choice, delta, logprobs: null, finish_reason: null }], includeUsage)];
  }
  const finishes = chunk.choices ?? [chunk.finish];
  const out: unknown[] = [];
  for (let index = 0; index < finishes.length; index++) {
    out.push(openAIChunk(id, created, chunk.model, [{ index, delta: {}, logprobs: null, finish_reason: FINISH[finishes[index]!.unified] ?? "stop" }], includeUsage));
  }
  if (includeUsage) out.push({ id, object: "chat.completion.chunk", created, model: chunk.model, system_fingerprint: null, choices: [], usage: toOpenAIUsage(chunk.usage) });
  return out;
}

/**
 * One chunk object, its keys in OpenAI's order, from a literal of one of two fixed shapes: it was a
 * spread of the stream's common fields with `model`, `choices` and `usage` set after them, which V8
 * builds through a slow runtime copy (the done chunk of every stream goes through here).
 */
function openAIChunk(id: string, created: number, model: string, choices: unknown[], includeUsage: boolean) {
  return includeUsage
    ? { id, object: "chat.completion.chunk", created, model, system_fingerprint: null, choices, usage: null }
    : { id, object: "chat.completion.chunk", created, model, system_fingerprint: null, choices };
}

/**
 * One stream chunk as the SSE text to write (`data: …\n\n` per OpenAI chunk, all in one string: one
 * write, one HTTP chunk). A plain text delta of choice 0 — nearly every chunk — is written from a
 * template, without the objects toOpenAIChunks builds and JSON.stringify walks; its JSON is the same,
 * key for key (to-openai-wire.test.ts checks). Measured: see docs/architecture.md, "Benchmarks".
 */
export function toOpenAIChunkText(chunk: Exclude<StreamChunk, { kind: "error" }>, model: string, created: number, includeUsage: boolean, opened: Set<number>): string {
  if (chunk.kind === "delta" && chunk.text !== undefined && !chunk.choice && chunk.reasoning === undefined && chunk.toolCallDeltas === undefined) {
    const role = opened.has(0) ? "" : '"role":"assistant",';
    opened.add(0);
    return `data: {"id":"chatcmpl-${chunk.callId}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"system_fingerprint":null,"choices":[{"index":0,"delta":{${role}"content":${JSON.stringify(chunk.text)}},"logprobs":null,"finish_reason":null}]${includeUsage ? ',"usage":null' : ""}}\n\n`;
  }
  let text = "";
  for (const data of toOpenAIChunks(chunk, model, created, includeUsage, opened)) text += `data: ${JSON.stringify(data)}\n\n`;
  return text;
}

const TYPES: Record<string, string> = {
  BAD_USER_INPUT: "invalid_request_error",
  MODEL_NOT_FOUND: "invalid_request_error",
  NOT_FOUND: "invalid_request_error",
  UNAUTHENTICATED: "invalid_request_error",
  FORBIDDEN: "invalid_request_error",
  RATE_LIMITED: "requests",
  BUDGET_EXCEEDED: "insufficient_quota",
};

/** A client error in OpenAI's error shape, so SDKs surface it the usual way. */
export function toOpenAIError(error: ClientError) {
  return {
    error: {
      message: error.message,
      type: TYPES[error.code] ?? "server_error",
      param: (error.details.param as string | undefined) ?? (error.details.field as string | undefined) ?? null,
      code: error.code === "MODEL_NOT_FOUND" ? "model_not_found" : error.code.toLowerCase(),
    },
  };
}
