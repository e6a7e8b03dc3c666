import { contentParts, contentText, parseDataUrl, reasoningBudget, reasoningEffort, ProviderError, type ContentPart, type MessageContent, type ChatMessage, type ChatRequest, type ToolChoice } from "../../../core/index.js";
import { samplingUnderThinking } from "../../anthropic/wire/sampling-under-thinking.js";

export interface ToBedrockRequestOptions {
  /** Whose `providerOptions` entry to read (the deployment's provider name). */
  provider: string;
}

type Json = Record<string, unknown>;
type ContentBlock = Json;

interface Turn {
  role: "user" | "assistant";
  content: ContentBlock[];
}

/**
 * Converse request members that `providerOptions` may set directly. Every other key there is a
 * model parameter (`top_k`, `thinking`, …) and goes into `additionalModelRequestFields`.
 */
const TOP_LEVEL_OPTIONS: ReadonlySet<string> = new Set([
  "additionalModelResponseFieldPaths",
  "guardrailConfig",
  "outputConfig",
  "performanceConfig",
  "promptVariables",
  "requestMetadata",
  "serviceTier",
]);

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Arguments are OpenAI's JSON string; Bedrock wants the document itself (an empty string means no arguments). */
const parseArguments = (text: string, provider: string, callId: string): unknown => {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProviderError({
      kind: "bad_request",
      provider,
      message: `arguments of tool call ${callId} are not JSON, so they cannot be sent to Bedrock`,
      cause: error,
    });
  }
};

/** A JSON object result travels as `json` (models see it structured); anything else as text. */
const toolResultContent = (content: string | null): ContentBlock[] => {
  const text = content ?? "";
  if (text.trimStart().startsWith("{")) {
    try {
      const value: unknown = JSON.parse(text);
      if (isRecord(value)) return [{ json: value }];
    } catch {
      // Not JSON after all: send it as text below.
    }
  }
  return [{ text }];
};

/** A tool result's text as `toolResultContent` makes it, then its images as image blocks (Converse takes both in a toolResult). */
const toolResultBlocks = (content: MessageContent, provider: string): ContentBlock[] => {
  const images = contentParts(content).filter((part) => part.type === "image");
  if (images.length === 0) return toolResultContent(contentText(content));
  const text = contentText(content) ?? "";
  return [...(text.trim() !== "" ? toolResultContent(text) : []), ...images.map((part) => toImageBlock(part.url, provider))];
};

const IMAGE_FORMATS: Readonly<Record<string, string>> = { "image/png": "png", "image/jpeg": "jpeg", "image/jpg": "jpeg", "image/gif": "gif", "image/webp": "webp" };

/**
 * An image part as a Converse image block. Converse takes the image's bytes (base64 in JSON) or an
 * S3 location, never a web URL: an http(s) image is refused before anything is sent rather than
 * fetched by the gateway.
 */
const toImageBlock = (url: string, provider: string): ContentBlock => {
  const inline = parseDataUrl(url);
  if (inline === undefined) {
    throw new ProviderError({
      kind: "bad_request",
      provider,
      message: "Bedrock takes images as base64 data, not URLs: send the image as a data: URL (data:image/png;base64,…)",
    });
  }
  const format = IMAGE_FORMATS[inline.mediaType.toLowerCase()];
  if (format === undefined) {
    throw new ProviderError({ kind: "bad_request", provider, message: `Bedrock takes png, jpeg, gif and webp images, not ${inline.mediaType}` });
  }
  return { image: { format, source: { bytes: inline.data } } };
};

/** Parts as Converse blocks; a cache breakpoint becomes a `cachePoint` block after its part. Blank text is dropped (Bedrock refuses it). */
const toBlocks = (content: MessageContent, provider: string): ContentBlock[] =>
  contentParts(content).flatMap((part: ContentPart): ContentBlock[] => {
    const block = part.type === "image" ? toImageBlock(part.url, provider) : part.text.trim() !== "" ? { text: part.text } : undefined;
    if (block === undefined) return [];
    return part.cacheControl !== undefined ? [block, { cachePoint: { type: "default" } }] : [block];
  });

const toTurn = (message: ChatMessage, provider: string): Turn | undefined => {
  switch (message.role) {
    case "system":
      return undefined;
    case "tool":
      return {
        role: "user",
        content: [{ toolResult: { toolUseId: message.toolCallId ?? "", content: toolResultBlocks(message.content, provider) } }],
      };
    case "assistant": {
      const content: ContentBlock[] = [
        // Signed reasoning of an earlier answer goes back first, as Claude requires with thinking on.
        ...(message.reasoning !== undefined && message.reasoningSignature !== undefined
          ? [{ reasoningContent: { reasoningText: { text: message.reasoning, signature: message.reasoningSignature } } }]
          : []),
        ...toBlocks(contentText(message.content), provider),
      ];
      for (const call of message.toolCalls ?? []) {
        content.push({ toolUse: { toolUseId: call.id, name: call.name, input: parseArguments(call.arguments, provider, call.id) } });
      }
      return { role: "assistant", content };
    }
    default:
      return {
        role: "user",
        content: toBlocks(message.content, provider),
      };
  }
};

/**
 * Converse needs strictly alternating user/assistant turns: consecutive turns of one role
 * (several tool results, a tool result then the user's next words) become one turn, in order.
 */
const toTurns = (messages: ChatMessage[], provider: string): Turn[] => {
  const turns: Turn[] = [];
  for (const message of messages) {
    const turn = toTurn(message, provider);
    if (turn === undefined || turn.content.length === 0) continue;
    const last = turns.at(-1);
    if (last !== undefined && last.role === turn.role) last.content.push(...turn.content);
    else turns.push(turn);
  }
  return turns;
};

const toToolChoice = (choice: ToolChoice | undefined): Json | undefined => {
  if (choice === undefined) return undefined;
  if (choice === "auto") return { auto: {} };
  if (choice === "required") return { any: {} };
  if (typeof choice === "object") return { tool: { name: choice.name } };
  return undefined;
};

const toToolConfig = (request: ChatRequest): Json | undefined => {
  // Converse has no "none": leaving the tools out is how a call is forbidden.
  if (request.tools === undefined || request.tools.length === 0 || request.toolChoice === "none") return undefined;
  return {
    tools: request.tools.flatMap((tool) => [
      {
        toolSpec: {
          name: tool.name,
          description: tool.description,
          inputSchema: { json: tool.parameters ?? { type: "object", properties: {} } },
        },
      },
      ...(tool.cacheControl !== undefined ? [{ cachePoint: { type: "default" } }] : []),
    ]),
    toolChoice: toToolChoice(request.toolChoice),
  };
};

const toInferenceConfig = (request: ChatRequest, provider: string): Json | undefined => {
  const config: Json = {};
  if (request.maxTokens !== undefined) config.maxTokens = request.maxTokens;
  // Claude with thinking on takes only the sampling settings thinking allows (as on Anthropic's own API).
  const sampling = thinksAsClaude(request) ? samplingUnderThinking(request, provider) : request;
  if (sampling.temperature !== undefined) config.temperature = sampling.temperature;
  if (sampling.topP !== undefined) config.topP = sampling.topP;
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  return Object.keys(config).length > 0 ? config : undefined;
};

/**
 * A ChatRequest as a Bedrock Converse body (WIRE §5.2). The model id travels in the URL, not
 * here. System messages are hoisted into `system`; tool results become `toolResult` blocks in
 * the user turn that follows the assistant's `toolUse`. `providerOptions[provider]` keys that
 * name a Converse member (`guardrailConfig`, `performanceConfig`, …) are set as given; the rest,
 * merged over an explicit `additionalModelRequestFields`, go to the model untouched.
 * `responseFormat` has no Converse equivalent and is not sent. Absent fields stay `undefined`.
 */
/**
 * Reasoning settings are model parameters on Converse: Claude takes Anthropic's `thinking` (its budget
 * within maxTokens), OpenAI's open-weight models `reasoning_effort`; other models get none.
 */
const thinksAsClaude = (request: ChatRequest): boolean => request.reasoning !== undefined && /claude/i.test(request.model);

const toReasoningFields = (request: ChatRequest): Json | undefined => {
  if (request.reasoning === undefined) return undefined;
  if (thinksAsClaude(request)) return { thinking: { type: "enabled", budget_tokens: Math.max(1024, reasoningBudget(request.reasoning)) } };
  if (/^(?:[a-z]{2}\.)?openai\./i.test(request.model)) return { reasoning_effort: reasoningEffort(request.reasoning) };
  return undefined;
};

export function toBedrockRequest(request: ChatRequest, options: ToBedrockRequestOptions): Json {
  const { provider } = options;
  const system = request.messages.filter((message) => message.role === "system").flatMap((message) => toBlocks(contentParts(message.content).filter((part) => part.type === "text"), provider));
  const body: Json = {
    messages: toTurns(request.messages, provider),
    system: system.length > 0 ? system : undefined,
    inferenceConfig: toInferenceConfig(request, provider),
    toolConfig: toToolConfig(request),
  };

  const extra = request.providerOptions?.[provider];
  const reasoningFields = toReasoningFields(request);
  if (reasoningFields !== undefined) body.additionalModelRequestFields = reasoningFields;
  if (extra !== undefined) {
    const modelFields: Json = { ...reasoningFields, ...(isRecord(extra.additionalModelRequestFields) ? extra.additionalModelRequestFields : {}) };
    for (const [key, value] of Object.entries(extra)) {
      if (key === "additionalModelRequestFields") continue;
      if (TOP_LEVEL_OPTIONS.has(key)) body[key] = value;
      else modelFields[key] = value;
    }
    if (Object.keys(modelFields).length > 0) body.additionalModelRequestFields = modelFields;
  }
  return body;
}
