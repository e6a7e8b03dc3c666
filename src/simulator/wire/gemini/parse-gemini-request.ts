import { estimatePrompt } from "../../estimate-prompt-tokens.js";
import {
  contentText,
  isRecord,
  readLimit,
  readStop,
  type WireResponseFormat,
  type WireTool,
  type WireToolChoice,
} from "../../simulated-request.js";
import type { WireParseResult, WireRoute } from "../wire-format.js";
import { geminiInvalidArgument } from "./gemini-error.js";

const fail = (message: string): WireParseResult => ({ ok: false, error: geminiInvalidArgument(message) });

/** Requests are proto3 JSON, which accepts camelCase and snake_case names alike (WIRE §4.2). */
const field = (record: Record<string, unknown>, camel: string, snake: string): unknown => record[camel] ?? record[snake];

/** A generateContent body (WIRE §4.2); the model and streaming come from the path. */
export function parseGeminiRequest(body: unknown, route: WireRoute): WireParseResult {
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
  return {
    ok: true,
    request: {
      model: route.model ?? "",
      ...estimatePrompt(contents, tools, field(body, "systemInstruction", "system_instruction")),
      stream: route.stream === true,
      includeUsage: false,
      maxTokens,
      stop: readStop(field(generation, "stopSequences", "stop_sequences")),
      tools: readTools(tools),
      toolChoice: readToolChoice(field(body, "toolConfig", "tool_config")),
      responseFormat: readResponseFormat(generation),
      lastRole: roleOf(last),
      lastUserText: lastUserText(contents),
      ...candidateCount(field(generation, "candidateCount", "candidate_count")),
    },
  };
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

/** `generationConfig.candidateCount` above 1: that many candidates. */
const candidateCount = (value: unknown): { choices?: number } => (Number.isInteger(value) && (value as number) > 1 ? { choices: value as number } : {});
