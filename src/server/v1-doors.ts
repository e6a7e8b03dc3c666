import type { IncomingMessage } from "node:http";

export interface V1Door {
  /** Whose wire format it speaks. */
  api: "OpenAI" | "Anthropic";
  method: "GET" | "POST";
  path: `/v1/${string}`;
}

/**
 * The doors under /v1: the route modules match requests against these, and the start banner lists them.
 * (`GET /v1/models/{id}` and `GET`/`DELETE /v1/responses/{id}` are matched by their modules beside them.)
 */
export const V1_DOORS = {
  chatCompletions: { api: "OpenAI", method: "POST", path: "/v1/chat/completions" },
  responses: { api: "OpenAI", method: "POST", path: "/v1/responses" },
  embeddings: { api: "OpenAI", method: "POST", path: "/v1/embeddings" },
  models: { api: "OpenAI", method: "GET", path: "/v1/models" },
  messages: { api: "Anthropic", method: "POST", path: "/v1/messages" },
  countTokens: { api: "Anthropic", method: "POST", path: "/v1/messages/count_tokens" },
} as const satisfies Record<string, V1Door>;

/** Whether a request (its method, and its path without the query) is for this door. */
export function isDoor(door: V1Door, request: IncomingMessage, path: string): boolean {
  return path === door.path && request.method === door.method;
}
