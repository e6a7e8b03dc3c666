import { estimatePrompt } from "../../../simulator/estimate-prompt-tokens.js";
import { isRecord, lastUserText, readStop, type WireResponseFormat } from "../../http/wire-request-fields.js";
import type { WireParseResult } from "../../../simulator/wire/wire-format.js";
import { readTools } from "../../openai/wire/parse-openai-request.js";
import { ollamaError } from "./ollama-error.js";

const fail = (message: string): WireParseResult => ({ ok: false, error: ollamaError(400, message) });

/**
 * An `/api/chat` body (WIRE §6.1). Streams unless `"stream": false`; the length limit is
 * `options.num_predict` (negative means unlimited); tools are OpenAI-style, with no tool choice;
 * `think` asks for the model's thinking.
 */
export function parseOllamaRequest(body: unknown): WireParseResult {
  if (!isRecord(body)) return fail("invalid request body: expected a JSON object");
  if (typeof body.model !== "string" || body.model === "") return fail("model is required");
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return fail("messages is required");
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isRecord(message) || typeof message.role !== "string") return fail(`invalid message at index ${i}: role is required`);
  }
  const options = isRecord(body.options) ? body.options : {};
  const numPredict = options.num_predict;
  if (numPredict !== undefined && (typeof numPredict !== "number" || !Number.isInteger(numPredict))) {
    return fail("option \"num_predict\" must be of type integer");
  }

  const last = messages[messages.length - 1] as { role: string };
  return {
    ok: true,
    request: {
      model: body.model,
      ...estimatePrompt(messages, body.tools),
      stream: body.stream !== false,
      includeUsage: false,
      maxTokens: numPredict === undefined || numPredict < 0 ? undefined : numPredict,
      stop: readStop(options.stop),
      tools: readTools(body.tools),
      toolChoice: "auto",
      responseFormat: readFormat(body.format),
      lastRole: last.role,
      lastUserText: lastUserText(messages),
      // `think: true`, or an effort level for gpt-oss models.
      ...(body.think === true || body.think === "low" || body.think === "medium" || body.think === "high" ? { reasoning: {} } : {}),
    },
  };
}

/** `format`: "json", or a JSON schema the answer must follow. */
function readFormat(format: unknown): WireResponseFormat {
  if (format === "json") return { type: "json_object" };
  if (isRecord(format)) return { type: "json_schema", schema: format };
  return { type: "text" };
}
