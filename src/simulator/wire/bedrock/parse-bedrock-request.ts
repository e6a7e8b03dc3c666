import { estimatePrompt } from "../../estimate-prompt-tokens.js";
import {
  isRecord,
  lastUserText,
  readLimit,
  readStop,
  type WireTool,
  type WireToolChoice,
} from "../../simulated-request.js";
import type { WireParseResult, WireRoute } from "../wire-format.js";
import { bedrockValidation } from "./bedrock-error.js";

const fail = (message: string): WireParseResult => ({ ok: false, error: bedrockValidation(message) });

/** A Converse body (WIRE §5.2); the model id comes from the path, streaming from the operation. */
export function parseBedrockRequest(body: unknown, route: WireRoute): WireParseResult {
  if (!isRecord(body)) return fail("Malformed input request, please reformat your input and try again.");
  const messages = body.messages;
  if (!Array.isArray(messages)) return fail("1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null");
  if (messages.length === 0) return fail("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isRecord(message) || typeof message.role !== "string" || !Array.isArray(message.content)) {
      return fail(`1 validation error detected: Value at 'messages.${i + 1}.member' failed to satisfy constraint: Member must have a role and a content list`);
    }
  }
  const inference = isRecord(body.inferenceConfig) ? body.inferenceConfig : {};
  const maxTokens = readLimit(inference.maxTokens);
  if (maxTokens === "invalid") return fail("1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1");
  const toolConfig = isRecord(body.toolConfig) ? body.toolConfig : undefined;

  const last = messages[messages.length - 1] as { role: string; content: unknown[] };
  const answersToolResult = last.role === "user" && last.content.some((block) => isRecord(block) && block.toolResult !== undefined);
  return {
    ok: true,
    request: {
      model: route.model ?? "",
      ...estimatePrompt(messages, toolConfig?.tools, body.system),
      stream: route.stream === true,
      includeUsage: false,
      maxTokens,
      stop: readStop(inference.stopSequences),
      tools: readTools(toolConfig?.tools),
      // No "none" choice here: leaving toolConfig out is how a caller says it (WIRE §8.2).
      toolChoice: readToolChoice(toolConfig?.toolChoice),
      responseFormat: { type: "text" },
      lastRole: answersToolResult ? "tool" : last.role,
      lastUserText: lastUserText(messages),
    },
  };
}

function readTools(tools: unknown): WireTool[] {
  if (!Array.isArray(tools)) return [];
  const result: WireTool[] = [];
  for (const tool of tools) {
    const spec = isRecord(tool) ? tool.toolSpec : undefined;
    if (isRecord(spec) && typeof spec.name === "string") {
      result.push({ name: spec.name, parameters: isRecord(spec.inputSchema) ? spec.inputSchema.json : undefined });
    }
  }
  return result;
}

function readToolChoice(choice: unknown): WireToolChoice {
  if (!isRecord(choice)) return "auto";
  if (choice.any !== undefined) return "required";
  if (isRecord(choice.tool) && typeof choice.tool.name === "string") return { name: choice.tool.name };
  return "auto";
}
