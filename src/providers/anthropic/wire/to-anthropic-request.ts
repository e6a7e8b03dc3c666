import {
  contentParts,
  parseDataUrl,
  reasoningBudget,
  ProviderError,
  type CacheControl,
  type ChatMessage,
  type ChatRequest,
  type ContentPart,
  type MessageContent,
  type ResponseFormat,
  type ToolCall,
  type ToolChoice,
} from "../../../core/index.js";
import { samplingUnderThinking } from "./sampling-under-thinking.js";

/** Anthropic requires `max_tokens`; this is sent when neither the request nor the deployment sets one. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

export interface ToAnthropicRequestOptions {
  /** Whose `providerOptions` entry to merge into the body (the deployment's provider name). */
  provider: string;
  stream: boolean;
  /** The deployment's fallback for `max_tokens`; default ANTHROPIC_DEFAULT_MAX_TOKENS. */
  defaultMaxTokens?: number;
}

type Block = Record<string, unknown>;

interface Turn {
  role: "user" | "assistant";
  blocks: Block[];
}

/** Fields the translation owns: extra options must not change what is asked or how it is framed. */
const PROTECTED_KEYS: ReadonlySet<string> = new Set(["model", "messages", "stream", "max_tokens"]);

const JSON_ONLY = "Respond only with a single valid JSON object, with no other text before or after it.";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const badRequest = (provider: string, message: string, cause?: unknown): ProviderError =>
  new ProviderError({ kind: "bad_request", provider, message, cause });

/** OpenAI carries arguments as a JSON string; Anthropic wants the object. `""` means no arguments. */
const toolInput = (call: ToolCall, provider: string): Record<string, unknown> => {
  if (call.arguments.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(call.arguments);
  } catch (error) {
    throw badRequest(provider, `arguments of tool call "${call.id}" are not valid JSON`, error);
  }
  if (!isRecord(value)) throw badRequest(provider, `arguments of tool call "${call.id}" are not a JSON object`);
  return value;
};

const withCacheControl = (block: Block, cacheControl: CacheControl | undefined): Block =>
  cacheControl !== undefined ? { ...block, cache_control: { ...cacheControl } } : block;

/** An image part as an Anthropic image block: base64 for a data URL, a url source otherwise (WIRE §3.2). */
const imageSource = (url: string): Block => {
  const inline = parseDataUrl(url);
  return inline !== undefined ? { type: "base64", media_type: inline.mediaType, data: inline.data } : { type: "url", url };
};

const toBlock = (part: ContentPart): Block | undefined => {
  if (part.type === "image") return withCacheControl({ type: "image", source: imageSource(part.url) }, part.cacheControl);
  // Anthropic rejects empty text blocks, so an empty text part adds no block at all.
  return part.text !== "" ? withCacheControl({ type: "text", text: part.text }, part.cacheControl) : undefined;
};

const contentBlocks = (content: MessageContent): Block[] =>
  contentParts(content).flatMap((part): Block[] => {
    const block = toBlock(part);
    return block !== undefined ? [block] : [];
  });

/**
 * Anthropic wants one content list per turn, turns alternating, tool results inside the next
 * user turn and placed before any text there.
 */
const toWireMessage = ({ role, blocks }: Turn): Record<string, unknown> => {
  if (role === "user" && blocks.some((block) => block.type === "tool_result")) {
    const results = blocks.filter((block) => block.type === "tool_result");
    const rest = blocks.filter((block) => block.type !== "tool_result");
    return { role, content: [...results, ...rest] };
  }
  const only = blocks.length === 1 ? blocks[0] : undefined;
  return { role, content: only?.type === "text" && only.cache_control === undefined ? only.text : blocks };
};

/**
 * ChatMessages as Anthropic turns plus the system texts hoisted out of them. Consecutive turns of
 * one role are merged; a message that carries nothing (no text, no calls) is dropped, since the
 * API refuses empty content. A tool message without `toolCallId` answers the next unanswered
 * call of the assistant turn before it.
 */
const toTurns = (messages: readonly ChatMessage[], provider: string): { system: Block[]; turns: Turn[] } => {
  const system: Block[] = [];
  const turns: Turn[] = [];
  let openCalls: string[] = [];
  const push = (role: Turn["role"], blocks: Block[]): void => {
    if (blocks.length === 0) return;
    const last = turns[turns.length - 1];
    if (last?.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  };

  for (const message of messages) {
    switch (message.role) {
      case "system":
        system.push(...contentBlocks(message.content).filter((block) => block.type === "text"));
        break;
      case "user":
        push("user", contentBlocks(message.content));
        break;
      case "assistant": {
        const calls = message.toolCalls ?? [];
        push("assistant", [
          // A signed thinking block of an earlier answer goes back first, as Anthropic requires with thinking on.
          ...(message.reasoning !== undefined && message.reasoningSignature !== undefined
            ? [{ type: "thinking", thinking: message.reasoning, signature: message.reasoningSignature }]
            : []),
          ...contentBlocks(message.content),
          ...calls.map((call) => ({ type: "tool_use", id: call.id, name: call.name, input: toolInput(call, provider) })),
        ]);
        openCalls = calls.map((call) => call.id);
        break;
      }
      case "tool": {
        const id = message.toolCallId ?? openCalls[0];
        if (id === undefined) throw badRequest(provider, "a tool message has no toolCallId and no tool call to answer");
        openCalls = openCalls.filter((open) => open !== id);
        const result: Block = { type: "tool_result", tool_use_id: id };
        const blocks = contentBlocks(message.content);
        if (blocks.length > 0) result.content = blocks.length === 1 && blocks[0]!.type === "text" && blocks[0]!.cache_control === undefined ? blocks[0]!.text : blocks;
        push("user", [result]);
        break;
      }
    }
  }
  return { system, turns };
};

const toAnthropicToolChoice = (choice: ToolChoice | undefined): Record<string, unknown> | undefined => {
  if (choice === undefined) return undefined;
  if (typeof choice === "object") return { type: "tool", name: choice.name };
  return { type: choice === "required" ? "any" : choice };
};

/**
 * Anthropic has no JSON mode (no `response_format`), so `json_object` and `json_schema` become
 * an instruction at the end of the system prompt, the schema included. This asks, it does not
 * enforce: the answer is not validated here, and `strict` cannot be honoured.
 */
const jsonInstruction = (format: ResponseFormat | undefined): string | undefined => {
  if (format?.type === "json_object") return JSON_ONLY;
  if (format?.type === "json_schema") {
    return `${JSON_ONLY} The object must conform to this JSON Schema (named "${format.name}"):\n${JSON.stringify(format.schema)}`;
  }
  return undefined;
};

/**
 * System texts joined into one string, as before; as a list of text blocks only when one of them
 * carries a cache breakpoint, which a plain string cannot.
 */
const systemField = (blocks: Block[]): string | Block[] | undefined => {
  if (blocks.length === 0) return undefined;
  if (blocks.some((block) => block.cache_control !== undefined)) return blocks;
  return blocks.map((block) => block.text as string).join("\n\n");
};

const readMaxTokens = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;

/**
 * A ChatRequest as an Anthropic Messages body (WIRE §3.2). System messages are joined into the
 * top-level `system`; `max_tokens` is the request's, else `providerOptions[provider].max_tokens`,
 * else the deployment default. Other `providerOptions[provider]` fields (top_k, thinking,
 * service_tier, …) are merged in as given. Cache breakpoints (`cacheControl`) of content parts, system
 * parts and tools become `cache_control` on their blocks. Absent fields
 * are left `undefined`, which JSON.stringify drops.
 */
export function toAnthropicRequest(request: ChatRequest, options: ToAnthropicRequestOptions): Record<string, unknown> {
  const { provider } = options;
  const extra = request.providerOptions?.[provider];
  const { system, turns } = toTurns(request.messages, provider);
  const instruction = jsonInstruction(request.responseFormat);
  if (instruction !== undefined) system.push({ type: "text", text: instruction });
  const tools = request.tools !== undefined && request.tools.length > 0 ? request.tools : undefined;

  const body: Record<string, unknown> = {
    model: request.model,
    max_tokens:
      readMaxTokens(request.maxTokens) ??
      readMaxTokens(extra?.max_tokens) ??
      options.defaultMaxTokens ??
      ANTHROPIC_DEFAULT_MAX_TOKENS,
    system: systemField(system),
    messages: turns.map(toWireMessage),
    temperature: request.temperature,
    top_p: request.topP,
    stop_sequences: request.stop !== undefined && request.stop.length > 0 ? request.stop : undefined,
    tools: tools?.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.parameters ?? { type: "object", properties: {} },
      cache_control: tool.cacheControl !== undefined ? { ...tool.cacheControl } : undefined,
    })),
    // Anthropic refuses tool_choice without tools; with none there is nothing to choose anyway.
    tool_choice: tools !== undefined ? toAnthropicToolChoice(request.toolChoice) : undefined,
    metadata: request.user !== undefined ? { user_id: request.user } : undefined,
  };

  if (request.reasoning !== undefined) {
    // Extended thinking: the budget counts within max_tokens, which must stay above it.
    const budget = Math.max(1024, reasoningBudget(request.reasoning));
    body.thinking = { type: "enabled", budget_tokens: budget };
    if ((body.max_tokens as number) <= budget) body.max_tokens = budget + (body.max_tokens as number);
  }
  const thinkingOption = extra?.thinking;
  if (body.thinking !== undefined || (typeof thinkingOption === "object" && thinkingOption !== null && (thinkingOption as { type?: unknown }).type === "enabled")) {
    const sampling = samplingUnderThinking(request, provider);
    body.temperature = sampling.temperature;
    body.top_p = sampling.topP;
  }
  if (extra !== undefined) {
    for (const key of Object.keys(extra)) if (!PROTECTED_KEYS.has(key)) body[key] = extra[key];
  }
  if (options.stream) body.stream = true;
  return body;
}
