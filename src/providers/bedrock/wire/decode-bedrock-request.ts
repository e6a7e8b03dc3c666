import { isRecord, lastUserText, readLimit, readStop, type WireTool, type WireToolChoice } from "../../http/wire-request-fields.js";
import type { DecodedBedrockRequest } from "./bedrock-wire-types.js";

export type DecodeBedrockRequestResult = { ok: true; request: DecodedBedrockRequest } | { ok: false; message: string };

const fail = (message: string): DecodeBedrockRequestResult => ({ ok: false, message });

/** A Converse body (WIRE §5.2); a refusal carries the message of Bedrock's `ValidationException`. */
export function decodeBedrockRequest(body: unknown): DecodeBedrockRequestResult {
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
  const request: DecodedBedrockRequest = {
    maxTokens,
    stop: readStop(inference.stopSequences),
    tools: readTools(toolConfig?.tools),
    // No "none" choice here: leaving toolConfig out is how a caller says it (WIRE §8.2).
    toolChoice: readToolChoice(toolConfig?.toolChoice),
    lastRole: answersToolResult ? "tool" : last.role,
    lastUserText: lastUserText(messages),
    messages,
    system: body.system,
    rawTools: toolConfig?.tools,
  };
  const reasoning = readReasoning(body.additionalModelRequestFields);
  if (reasoning !== undefined) request.reasoning = reasoning;
  return { ok: true, request };
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

function readReasoning(fields: unknown): { budgetTokens?: number } | undefined {
  if (!isRecord(fields)) return undefined;
  const thinking = fields.thinking;
  if (isRecord(thinking) && thinking.type === "enabled") {
    return typeof thinking.budget_tokens === "number" ? { budgetTokens: thinking.budget_tokens } : {};
  }
  if (typeof fields.reasoning_effort === "string") return {};
  if (isRecord(fields.reasoningConfig) && fields.reasoningConfig.type === "enabled") return {};
  return undefined;
}
