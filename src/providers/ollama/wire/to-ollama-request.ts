import { contentParts, contentText, parseDataUrl, ProviderError, reasoningEffort, type ChatMessage, type ChatRequest, type ResponseFormat, type ToolCall } from "../../../core/index.js";

export interface ToOllamaRequestOptions {
  /** Whose `providerOptions` entry to merge into the body (the deployment's provider name). */
  provider: string;
  stream: boolean;
}

type Json = Record<string, unknown>;

/** Fields the translation owns: extra options must not change what is asked or how it is framed. */
const PROTECTED_KEYS: ReadonlySet<string> = new Set(["model", "messages", "stream"]);

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** OpenAI carries arguments as a JSON string; Ollama wants the object itself. */
const toArgumentsObject = (call: ToolCall, provider: string): Json => {
  if (call.arguments.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.arguments);
  } catch (error) {
    throw new ProviderError({
      kind: "bad_request",
      provider,
      message: `arguments of tool call "${call.id}" are not JSON, which Ollama cannot take`,
      cause: error,
    });
  }
  if (!isObject(parsed)) {
    throw new ProviderError({ kind: "bad_request", provider, message: `arguments of tool call "${call.id}" are not a JSON object` });
  }
  return parsed;
};

/** Ollama takes a message's images as a list of base64 strings; an image URL is refused, as Ollama cannot fetch it. */
const ollamaImages = (message: ChatMessage, provider: string): string[] =>
  contentParts(message.content).flatMap((part) => {
    if (part.type !== "image") return [];
    const inline = parseDataUrl(part.url);
    if (inline === undefined) {
      throw new ProviderError({ kind: "bad_request", provider, message: "Ollama takes images as base64 data, not URLs: send the image as a data: URL" });
    }
    return [inline.data];
  });

/**
 * Ollama answers a tool result by the tool's name, not by call id, so each result is matched
 * to its call in the assistant turns before it (a later call with the same id wins).
 */
const toOllamaMessages = (messages: ChatMessage[], provider: string): Json[] => {
  const toolNames = new Map<string, string>();
  return messages.map((message) => {
    switch (message.role) {
      case "assistant": {
        const calls = message.toolCalls ?? [];
        for (const call of calls) toolNames.set(call.id, call.name);
        return {
          role: "assistant",
          content: contentText(message.content) ?? "",
          tool_calls:
            calls.length > 0
              ? calls.map((call) => ({ function: { name: call.name, arguments: toArgumentsObject(call, provider) } }))
              : undefined,
        };
      }
      case "tool": {
        const images = ollamaImages(message, provider);
        return {
          role: "tool",
          content: contentText(message.content) ?? "",
          tool_name: (message.toolCallId !== undefined ? toolNames.get(message.toolCallId) : undefined) ?? message.name,
          images: images.length > 0 ? images : undefined,
        };
      }
      default: {
        const images = ollamaImages(message, provider);
        return { role: message.role, content: contentText(message.content) ?? "", images: images.length > 0 ? images : undefined };
      }
    }
  });
};

const toOllamaFormat = (format: ResponseFormat | undefined): unknown => {
  if (format?.type === "json_object") return "json";
  if (format?.type === "json_schema") return format.schema;
  return undefined;
};

/**
 * A ChatRequest as an Ollama `/api/chat` body (WIRE §6.1). Sampling settings go in `options`
 * (`num_predict` is the token limit); `stream` is always explicit because Ollama streams by
 * default. Ollama has no tool choice: `none` leaves the tools out, the others send them as
 * offered. `providerOptions[provider]` fields (`keep_alive`, `think`, …) are merged in, and its
 * `options` object is merged into the sampling options (`num_ctx`, `seed`, `top_k`, …).
 */
export function toOllamaRequest(request: ChatRequest, options: ToOllamaRequestOptions): Json {
  const { provider } = options;
  const extra = request.providerOptions?.[provider];
  const sampling: Json = {};
  if (request.temperature !== undefined) sampling.temperature = request.temperature;
  if (request.topP !== undefined) sampling.top_p = request.topP;
  if (request.maxTokens !== undefined) sampling.num_predict = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) sampling.stop = request.stop;
  if (isObject(extra?.options)) Object.assign(sampling, extra.options);

  const body: Json = {
    model: request.model,
    messages: toOllamaMessages(request.messages, provider),
    tools:
      request.toolChoice === "none" || request.tools === undefined || request.tools.length === 0
        ? undefined
        : request.tools.map((tool) => ({
            type: "function",
            function: { name: tool.name, description: tool.description, parameters: tool.parameters },
          })),
    format: toOllamaFormat(request.responseFormat),
    options: Object.keys(sampling).length > 0 ? sampling : undefined,
    // Ollama's thinking switch; gpt-oss models take an effort level instead of true.
    think: request.reasoning !== undefined ? (/gpt-oss/i.test(request.model) ? reasoningEffort(request.reasoning) : true) : undefined,
  };
  if (extra !== undefined) {
    for (const key of Object.keys(extra)) {
      if (key !== "options" && !PROTECTED_KEYS.has(key)) body[key] = extra[key];
    }
  }
  body.stream = options.stream;
  return body;
}
