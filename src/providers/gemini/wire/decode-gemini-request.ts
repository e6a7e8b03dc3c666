import { contentText, isRecord, readLimit, readStop, type WireResponseFormat, type WireTool, type WireToolChoice } from "../../http/wire-request-fields.js";
import type { DecodedGeminiRequest, GeminiFunctionResult } from "./gemini-wire-types.js";

export type DecodeGeminiRequestResult = { ok: true; request: DecodedGeminiRequest } | { ok: false; message: string };

const fail = (message: string): DecodeGeminiRequestResult => ({ ok: false, message });

/** Requests are proto3 JSON, which accepts camelCase and snake_case names alike (WIRE §4.2). */
const field = (record: Record<string, unknown>, camel: string, snake: string): unknown => record[camel] ?? record[snake];

/** A generateContent body (WIRE §4.2); a refusal carries the message of Gemini's 400 INVALID_ARGUMENT. */
export function decodeGeminiRequest(body: unknown): DecodeGeminiRequestResult {
  if (!isRecord(body)) return fail("Invalid JSON payload received. Expected an object.");
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) return fail("* GenerateContentRequest.contents: contents is not specified\n");
  for (let i = 0; i < contents.length; i++) {
    const content: unknown = contents[i];
    if (!isRecord(content) || !Array.isArray(content.parts) || content.parts.length === 0) {
      return fail(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`);
    }
  }
  const config = field(body, "generationConfig", "generation_config");
  const generation = isRecord(config) ? config : {};
  const maxTokens = readLimit(field(generation, "maxOutputTokens", "max_output_tokens"));
  if (maxTokens === "invalid") return fail("Invalid value at 'generation_config.max_output_tokens', expected a non-negative integer.");
  const tools = body.tools;

  const last = contents[contents.length - 1] as { role?: unknown; parts: unknown[] };
  const request: DecodedGeminiRequest = {
    maxTokens,
    stop: readStop(field(generation, "stopSequences", "stop_sequences")),
    tools: readTools(tools),
    toolChoice: readToolChoice(field(body, "toolConfig", "tool_config")),
    responseFormat: readResponseFormat(generation),
    lastRole: roleOf(last),
    lastUserText: lastUserText(contents),
    functionResults: readFunctionResults(last.parts),
    contents,
    systemInstruction: field(body, "systemInstruction", "system_instruction"),
    rawTools: tools,
  };
  const thinking = readThinking(field(generation, "thinkingConfig", "thinking_config"));
  if (thinking !== undefined) request.thinking = thinking;
  const candidateCount = field(generation, "candidateCount", "candidate_count");
  if (Number.isInteger(candidateCount) && (candidateCount as number) > 1) request.candidateCount = candidateCount as number;
  return { ok: true, request };
}

function readFunctionResults(parts: readonly unknown[]): GeminiFunctionResult[] {
  const results: GeminiFunctionResult[] = [];
  for (const part of parts) {
    const result = isRecord(part) ? field(part, "functionResponse", "function_response") : undefined;
    if (isRecord(result)) results.push({ name: typeof result.name === "string" ? result.name : "", response: result.response });
  }
  return results;
}

/** Thought summaries come back only with `includeThoughts`; `thinkingBudget` 0 turns thinking off. */
function readThinking(config: unknown): { budgetTokens?: number } | undefined {
  if (!isRecord(config) || field(config, "includeThoughts", "include_thoughts") !== true) return undefined;
  const budget = field(config, "thinkingBudget", "thinking_budget");
  if (budget === 0) return undefined;
  return typeof budget === "number" && budget > 0 ? { budgetTokens: budget } : {};
}

/** "model" turns are the assistant's; function results (in a user turn, or the older "function" role) are tool turns. */
function roleOf(content: { role?: unknown; parts: unknown[] }): string {
  if (content.role === "model") return "assistant";
  if (content.role === "function" || content.parts.some((part) => isRecord(part) && field(part, "functionResponse", "function_response") !== undefined)) {
    return "tool";
  }
  return "user";
}

/** A turn without a role is the user's (single-turn requests often leave it out). */
function lastUserText(contents: readonly unknown[]): string {
  for (let i = contents.length - 1; i >= 0; i--) {
    const content = contents[i] as { role?: unknown; parts: unknown };
    if (content.role === undefined || content.role === "user") return contentText(content.parts);
  }
  return "";
}

function readTools(tools: unknown): WireTool[] {
  if (!Array.isArray(tools)) return [];
  const result: WireTool[] = [];
  for (const tool of tools) {
    if (!isRecord(tool)) continue;
    const declarations = field(tool, "functionDeclarations", "function_declarations");
    if (!Array.isArray(declarations)) continue;
    for (const declaration of declarations) {
      if (isRecord(declaration) && typeof declaration.name === "string") {
        const parameters = declaration.parameters ?? field(declaration, "parametersJsonSchema", "parameters_json_schema");
        result.push({ name: declaration.name, parameters });
      }
    }
  }
  return result;
}

/** `mode` AUTO | ANY | NONE; ANY with allowedFunctionNames forces the first allowed one. */
function readToolChoice(toolConfig: unknown): WireToolChoice {
  if (!isRecord(toolConfig)) return "auto";
  const calling = field(toolConfig, "functionCallingConfig", "function_calling_config");
  if (!isRecord(calling) || typeof calling.mode !== "string") return "auto";
  const mode = calling.mode.toUpperCase();
  if (mode === "NONE") return "none";
  if (mode !== "ANY") return "auto";
  const allowed = field(calling, "allowedFunctionNames", "allowed_function_names");
  return Array.isArray(allowed) && typeof allowed[0] === "string" ? { name: allowed[0] } : "required";
}

function readResponseFormat(generation: Record<string, unknown>): WireResponseFormat {
  if (field(generation, "responseMimeType", "response_mime_type") !== "application/json") return { type: "text" };
  const schema =
    field(generation, "responseSchema", "response_schema") ?? field(generation, "responseJsonSchema", "response_json_schema");
  return schema === undefined ? { type: "json_object" } : { type: "json_schema", schema };
}
