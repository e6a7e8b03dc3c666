import type { ServerResponse } from "node:http";

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** A GraphQL-shaped error body for failures before GraphQL execution (body too large, bad JSON). */
export function sendGraphQLError(response: ServerResponse, status: number, message: string, code: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, { errors: [{ message, extensions: { code } }] }, headers);
}
