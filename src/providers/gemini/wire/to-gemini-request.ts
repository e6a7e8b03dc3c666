import {
  contentParts,
  contentText,
  parseDataUrl,
  reasoningBudget,
  ProviderError,
  type MessageContent,
  type ChatMessage,
  type ChatRequest,
  type ResponseFormat,
  type ToolCall,
  type ToolChoice,
} from "../../../core/index.js";
import { decodeGeminiThoughtSignature } from "./gemini-tool-call-id.js";
import { toGeminiResponseSchema } from "./to-gemini-response-schema.js";
import { toGeminiSchema } from "./to-gemini-schema.js";

export interface ToGeminiRequestOptions {
  /** Names the `providerOptions` entry to merge and the errors raised. */
  provider: string;
}

type Json = Record<string, unknown>;

interface GeminiContent {
  role: "user" | "model";
  parts: Json[];
}

/** Fields the translation owns: extra options must not change what is asked. */
const PROTECTED_KEYS: ReadonlySet<string> = new Set(["contents", "systemInstruction", "system_instruction"]);
/** Objects that extra options extend field by field instead of replacing (`generationConfig.topK`, …). */
const MERGED_KEYS: ReadonlySet<string> = new Set(["generationConfig", "toolConfig"]);

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const badRequest = (provider: string, message: string): ProviderError => new ProviderError({ kind: "bad_request", provider, message });

/** Gemini wants `args` as an object; OpenAI-shaped history carries it as a JSON string. */
const parseArguments = (call: ToolCall, provider: string): Json => {
  if (call.arguments.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(call.arguments);
  } catch {
    throw badRequest(provider, `arguments of tool call "${call.id}" are not valid JSON`);
  }
  if (!isRecord(value)) throw badRequest(provider, `arguments of tool call "${call.id}" are not a JSON object`);
  return value;
};

/** `functionResponse.response` must be an object: a JSON object result is sent as it is, anything else wrapped. */
const toFunctionResponse = (content: string | null): Json => {
  const text = content ?? "";
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      const value: unknown = JSON.parse(text);
      if (isRecord(value)) return value;
    } catch {
      // Not JSON after all: wrapped below like any text.
    }
  }
  return { content: text };
};

const IMAGE_TYPES: Readonly<Record<string, string>> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", heic: "image/heic", heif: "image/heif" };

/** An image part: `inlineData` for a data URL, else `fileData` with the type guessed from the file name (default JPEG). */
const toImagePart = (url: string): Json => {
  const inline = parseDataUrl(url);
  if (inline !== undefined) return { inlineData: { mimeType: inline.mediaType, data: inline.data } };
  const extension = /\.(\w+)(?:[?#].*)?$/.exec(url)?.[1]?.toLowerCase() ?? "";
  return { fileData: { mimeType: IMAGE_TYPES[extension] ?? "image/jpeg", fileUri: url } };
};

/** Content as Gemini parts (WIRE §4.2); empty text adds none, cache breakpoints are dropped (Gemini caches by itself). */
const toParts = (content: MessageContent): Json[] =>
  contentParts(content).flatMap((part): Json[] => (part.type === "image" ? [toImagePart(part.url)] : part.text !== "" ? [{ text: part.text }] : []));

const toModelParts = (message: ChatMessage, provider: string): Json[] => {
  const parts: Json[] = toParts(contentText(message.content));
  for (const call of message.toolCalls ?? []) {
    const part: Json = { functionCall: { name: call.name, args: parseArguments(call, provider) } };
    const signature = decodeGeminiThoughtSignature(call.id);
    if (signature !== undefined) part.thoughtSignature = signature;
    parts.push(part);
  }
  return parts;
};

const toFunctionCallingConfig = (choice: ToolChoice): Json => {
  if (typeof choice === "object") return { mode: "ANY", allowedFunctionNames: [choice.name] };
  return { mode: choice === "required" ? "ANY" : choice === "none" ? "NONE" : "AUTO" };
};

const toResponseFields = (format: ResponseFormat | undefined): Json => {
  if (format?.type === "json_object") return { responseMimeType: "application/json" };
  // `responseJsonSchema` takes JSON Schema as OpenAI clients write it (its documented subset);
  // `responseSchema` would take only an OpenAPI subset and refuse `additionalProperties`, which strict schemas require.
  if (format?.type === "json_schema") return { responseMimeType: "application/json", responseJsonSchema: toGeminiResponseSchema(format.schema) };
  return {};
};

const withoutUndefined = (record: Json): Json | undefined => {
  const out: Json = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return Object.keys(out).length > 0 ? out : undefined;
};

/**
 * A ChatRequest as a Gemini `generateContent` body (WIRE §4.2). System messages become
 * `systemInstruction`; assistant turns are `model` turns whose tool calls are `functionCall`
 * parts; tool results become `functionResponse` parts of one `user` turn per run of results.
 * Gemini matches results to calls by function name, so each result's name is looked up from
 * the latest assistant call with its id (else the message's `name`); a result that names no
 * known call is a `bad_request` before anything is sent. `providerOptions[provider]` fields
 * (safetySettings, cachedContent, generationConfig.thinkingConfig, …) are merged in.
 */
export function toGeminiRequest(request: ChatRequest, options: ToGeminiRequestOptions): Json {
  const { provider } = options;
  const systemParts: Json[] = [];
  const contents: GeminiContent[] = [];
  const namesById = new Map<string, string>();
  // The user turn collecting the current run of tool results, if the last turn is one.
  let resultsTurn: GeminiContent | undefined;

  for (const message of request.messages) {
    switch (message.role) {
      case "system":
        systemParts.push(...toParts(contentText(message.content)));
        break;
      case "user": {
        const parts = toParts(message.content);
        contents.push({ role: "user", parts: parts.length > 0 ? parts : [{ text: "" }] });
        resultsTurn = undefined;
        break;
      }
      case "assistant": {
        for (const call of message.toolCalls ?? []) namesById.set(call.id, call.name);
        const parts = toModelParts(message, provider);
        // An assistant turn that said nothing has nothing to send; Gemini refuses empty parts.
        if (parts.length > 0) {
          contents.push({ role: "model", parts });
          resultsTurn = undefined;
        }
        break;
      }
      case "tool": {
        const id = message.toolCallId;
        const name = (id !== undefined ? namesById.get(id) : undefined) ?? message.name;
        if (name === undefined || name === "") {
          throw badRequest(provider, `tool result "${id ?? ""}" answers no earlier tool call and has no name`);
        }
        if (contentParts(message.content).some((p) => p.type === "image")) {
          throw badRequest(provider, "Gemini tool results (functionResponse) take no images here: send the image in a user message after the tool results");
        }
        const part = { functionResponse: { name, response: toFunctionResponse(contentText(message.content)) } };
        if (resultsTurn === undefined) {
          resultsTurn = { role: "user", parts: [part] };
          contents.push(resultsTurn);
        } else {
          resultsTurn.parts.push(part);
        }
        break;
      }
    }
  }

  const tools = request.tools;
  const body: Json = {
    systemInstruction: systemParts.length > 0 ? { parts: systemParts } : undefined,
    contents,
    tools:
      tools !== undefined && tools.length > 0
        ? [
            {
              functionDeclarations: tools.map((tool) => ({
                name: tool.name,
                description: tool.description,
                parameters: toGeminiSchema(tool.parameters),
              })),
            },
          ]
        : undefined,
    toolConfig: request.toolChoice !== undefined ? { functionCallingConfig: toFunctionCallingConfig(request.toolChoice) } : undefined,
    generationConfig: withoutUndefined({
      temperature: request.temperature,
      topP: request.topP,
      maxOutputTokens: request.maxTokens,
      stopSequences: request.stop !== undefined && request.stop.length > 0 ? request.stop : undefined,
      // `n`: each candidate becomes a choice (whole answers only; the router never streams it).
      candidateCount: request.n !== undefined && request.n > 1 ? request.n : undefined,
      ...toResponseFields(request.responseFormat),
      // Thought summaries come back as `thought: true` parts, read as the answer's reasoning.
      thinkingConfig: request.reasoning !== undefined ? { thinkingBudget: reasoningBudget(request.reasoning), includeThoughts: true } : undefined,
    }),
  };

  const extra = request.providerOptions?.[provider];
  if (extra !== undefined) {
    for (const [key, value] of Object.entries(extra)) {
      if (PROTECTED_KEYS.has(key)) continue;
      const current = body[key];
      body[key] = MERGED_KEYS.has(key) && isRecord(current) && isRecord(value) ? { ...current, ...value } : value;
    }
  }
  return body;
}
