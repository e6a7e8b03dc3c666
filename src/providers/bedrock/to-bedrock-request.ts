import { contentText, ProviderError, type ChatMessage, type ChatRequest, type ToolChoice } from "../../core/index.js";

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

const toTurn = (message: ChatMessage, provider: string): Turn | undefined => {
  switch (message.role) {
    case "system":
      return undefined;
    case "tool":
      return {
        role: "user",
        content: [{ toolResult: { toolUseId: message.toolCallId ?? "", content: toolResultContent(contentText(message.content)) } }],
      };
    case "assistant": {
      const content: ContentBlock[] = [];
      // Bedrock refuses blank text blocks.
      const text = contentText(message.content);
      if (text !== null && text.trim() !== "") content.push({ text });
      for (const call of message.toolCalls ?? []) {
        content.push({ toolUse: { toolUseId: call.id, name: call.name, input: parseArguments(call.arguments, provider, call.id) } });
      }
      return { role: "assistant", content };
    }
    default:
      return {
        role: "user",
        content: message.content !== null && message.content !== "" ? [{ text: message.content }] : [],
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
    tools: request.tools.map((tool) => ({
      toolSpec: {
        name: tool.name,
        description: tool.description,
        inputSchema: { json: tool.parameters ?? { type: "object", properties: {} } },
      },
    })),
    toolChoice: toToolChoice(request.toolChoice),
  };
};

const toInferenceConfig = (request: ChatRequest): Json | undefined => {
  const config: Json = {};
  if (request.maxTokens !== undefined) config.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
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
export function toBedrockRequest(request: ChatRequest, options: ToBedrockRequestOptions): Json {
  const { provider } = options;
  const system = request.messages
    .filter((message) => message.role === "system" && message.content !== null && message.content !== "")
    .map((message) => ({ text: message.content }));
  const body: Json = {
    messages: toTurns(request.messages, provider),
    system: system.length > 0 ? system : undefined,
    inferenceConfig: toInferenceConfig(request),
    toolConfig: toToolConfig(request),
  };

  const extra = request.providerOptions?.[provider];
  if (extra !== undefined) {
    const modelFields: Json = isRecord(extra.additionalModelRequestFields) ? { ...extra.additionalModelRequestFields } : {};
    for (const [key, value] of Object.entries(extra)) {
      if (key === "additionalModelRequestFields") continue;
      if (TOP_LEVEL_OPTIONS.has(key)) body[key] = value;
      else modelFields[key] = value;
    }
    if (Object.keys(modelFields).length > 0) body.additionalModelRequestFields = modelFields;
  }
  return body;
}
