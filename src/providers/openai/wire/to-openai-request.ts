import { contentParts, contentText, ProviderError, reasoningEffort, type ChatMessage, type ChatRequest, type ContentPart, type MessageContent, type ResponseFormat, type ToolChoice } from "../../../core/index.js";
import type { OpenAIQuirks } from "./openai-quirks.js";

export type MaxTokensField = "max_tokens" | "max_completion_tokens";

export interface ToOpenAIRequestOptions {
  /** Whose `providerOptions` entry to merge into the body (the deployment's provider name). */
  provider: string;
  stream: boolean;
  /** Deployment default; `providerOptions[provider].maxTokensField` wins over it. */
  maxTokensField?: MaxTokensField;
  /** What a compatible server refuses: `stream_options`, some fields, message names. */
  quirks?: OpenAIQuirks;
}

/** Keys of `providerOptions[provider]` that steer the translation instead of going on the wire. */
const CONTROL_KEYS: ReadonlySet<string> = new Set(["maxTokensField"]);
/** Fields the translation owns: extra options must not change what is asked or how it is framed. */
const PROTECTED_KEYS: ReadonlySet<string> = new Set(["model", "messages", "stream", "stream_options"]);

const toOpenAIPart = (part: ContentPart): Record<string, unknown> =>
  part.type === "text" ? { type: "text", text: part.text } : { type: "image_url", image_url: { url: part.url, detail: part.detail } };

/**
 * Content as OpenAI takes it: a string stays a string; parts become `text` and `image_url` parts
 * (WIRE §1.2), cache breakpoints dropped (OpenAI caches prefixes by itself). Only user turns take
 * images; the others get their text.
 */
const toOpenAIContent = (content: MessageContent, role: ChatMessage["role"]): unknown => {
  if (content === null || typeof content === "string") return content;
  if (role !== "user") return contentText(content) ?? "";
  return content.every((part) => part.type === "text") ? (contentText(content) ?? "") : content.map(toOpenAIPart);
};

const toOpenAIMessage = (message: ChatMessage): Record<string, unknown> => {
  switch (message.role) {
    case "assistant":
      return {
        role: "assistant",
        content: toOpenAIContent(message.content, "assistant"),
        name: message.name,
        tool_calls:
          message.toolCalls !== undefined && message.toolCalls.length > 0
            ? message.toolCalls.map((call) => ({
                id: call.id,
                type: "function",
                function: { name: call.name, arguments: call.arguments },
              }))
            : undefined,
      };
    case "tool":
      return { role: "tool", tool_call_id: message.toolCallId, content: toOpenAIContent(message.content, "tool") };
    default:
      return { role: message.role, content: toOpenAIContent(message.content, message.role), name: message.name };
  }
};

const toNamelessMessage = (message: ChatMessage): Record<string, unknown> => {
  const wire = toOpenAIMessage(message);
  if (wire.name !== undefined) wire.name = undefined;
  return wire;
};

const toOpenAIToolChoice = (choice: ToolChoice | undefined): unknown =>
  typeof choice === "object" ? { type: "function", function: { name: choice.name } } : choice;

const toOpenAIResponseFormat = (format: ResponseFormat | undefined): unknown => {
  if (format?.type !== "json_schema") return format;
  return {
    type: "json_schema",
    json_schema: { name: format.name, schema: format.schema, strict: format.strict },
  };
};

/**
 * OpenAI refuses `reasoning_effort` for models that do not reason (gpt-4o, gpt-4.1…), so on OpenAI itself it
 * goes only to the reasoning families. Elsewhere (Azure, compatible servers) a model named after one of
 * OpenAI's non-reasoning families does not get it either (Azure refuses it the same way); any other name
 * gets it, since the name says nothing.
 */
const takesReasoningEffort = (provider: string, model: string): boolean =>
  provider === "openai" ? REASONING_FAMILIES.test(model) : !NON_REASONING_FAMILIES.test(model);
const REASONING_FAMILIES = /^(?:o\d|gpt-5|gpt-oss|codex)/i;
const NON_REASONING_FAMILIES = /^(?:gpt-4o|gpt-4\.1|gpt-4(?:-|$)|gpt-35|gpt-3\.5|chatgpt-4o)/i;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A ChatRequest as an OpenAI Chat Completions body. Absent fields are left `undefined`, which
 * JSON.stringify drops, so the body is serialised exactly once and never rebuilt.
 * `providerOptions[provider]` fields (seed, reasoning_effort, parallel_tool_calls, …) are
 * merged in as given; for streams its `stream_options` is merged over `{ include_usage: true }`
 * (or sent alone when `quirks.includeStreamUsage` is false).
 */
export function toOpenAIRequest(request: ChatRequest, options: ToOpenAIRequestOptions): Record<string, unknown> {
  const { quirks } = options;
  // A tool message holds text only on this wire: an image there would be lost, so it is refused instead.
  if (request.messages.some((message) => message.role === "tool" && contentParts(message.content).some((part) => part.type === "image"))) {
    throw new ProviderError({
      kind: "bad_request",
      provider: options.provider,
      message: "OpenAI-style tool results take text only: send the image in a user message after the tool results",
    });
  }
  const extra = request.providerOptions?.[options.provider];
  const fieldOption = extra?.maxTokensField;
  const maxTokensField: MaxTokensField =
    fieldOption === "max_completion_tokens" || fieldOption === "max_tokens"
      ? fieldOption
      : (options.maxTokensField ?? "max_tokens");

  const body: Record<string, unknown> = {
    model: request.model,
    messages: request.messages.map(quirks?.omitMessageNames === true ? toNamelessMessage : toOpenAIMessage),
    temperature: request.temperature,
    top_p: request.topP,
    // Both named, one left undefined (a computed key would make every body a slow-path object).
    max_tokens: maxTokensField === "max_tokens" ? request.maxTokens : undefined,
    max_completion_tokens: maxTokensField === "max_completion_tokens" ? request.maxTokens : undefined,
    stop: request.stop,
    tools:
      request.tools?.map((tool) => ({
        type: "function",
        function: { name: tool.name, description: tool.description, parameters: tool.parameters },
      })) ?? undefined,
    tool_choice: toOpenAIToolChoice(request.toolChoice),
    response_format: toOpenAIResponseFormat(request.responseFormat),
    user: request.user,
    n: request.n !== undefined && request.n > 1 ? request.n : undefined,
    reasoning_effort: request.reasoning !== undefined && takesReasoningEffort(options.provider, request.model) ? reasoningEffort(request.reasoning) : undefined,
  };

  // Before the merge: a field the server refuses can still be sent on purpose through providerOptions.
  if (quirks?.omitFields !== undefined) for (const key of quirks.omitFields) body[key] = undefined;
  if (extra !== undefined) {
    for (const key of Object.keys(extra)) {
      if (!CONTROL_KEYS.has(key) && !PROTECTED_KEYS.has(key)) body[key] = extra[key];
    }
  }
  if (options.stream) {
    body.stream = true;
    const streamOptions = extra?.stream_options;
    if (quirks?.includeStreamUsage === false) {
      if (isRecord(streamOptions)) body.stream_options = streamOptions;
    } else {
      body.stream_options = isRecord(streamOptions) ? { include_usage: true, ...streamOptions } : { include_usage: true };
    }
  }
  return body;
}
