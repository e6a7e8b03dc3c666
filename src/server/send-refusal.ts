import type { ServerResponse } from "node:http";
import type { ClientErrorCode } from "../core/index.js";
import { toAnthropicError } from "./anthropic-messages/to-anthropic-wire.js";
import { toOpenAIError } from "./openai-compat/to-openai-wire.js";
import { sendGraphQLError, sendJson } from "./send-json.js";

export interface Refusal {
  status: number;
  code: ClientErrorCode;
  message: string;
}

/**
 * A refusal before any route ran (the server is draining, a foreign browser origin), in the error
 * shape of the door the request came through: Anthropic's on /v1/messages, OpenAI's on the rest of /v1,
 * GraphQL's on /graphql, ours elsewhere.
 */
export function sendRefusal(response: ServerResponse, path: string, refusal: Refusal, headers: Record<string, string> = {}): void {
  const { status, code, message } = refusal;
  if (path === "/v1/messages" || path.startsWith("/v1/messages/")) sendJson(response, status, toAnthropicError({ httpStatus: status, message }), headers);
  else if (path.startsWith("/v1/")) sendJson(response, status, toOpenAIError({ code, httpStatus: status, message, details: {} }), headers);
  else if (path === "/graphql" || path === "/graphql/stream") sendGraphQLError(response, status, message, code, headers);
  else sendJson(response, status, { error: { message, code } }, headers);
}
