import type { ServerResponse } from "node:http";

export function sendJson(response: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const text = JSON.stringify(body);
  const length = Buffer.byteLength(text);
  // A literal when there are no extra headers (every answer but a refusal): no spread of an empty object.
  response.writeHead(
    status,
    headers === undefined
      ? { "content-type": "application/json; charset=utf-8", "content-length": length }
      : { "content-type": "application/json; charset=utf-8", "content-length": length, ...headers },
  );
  response.end(text);
}

/** A GraphQL-shaped error body for failures before GraphQL execution (body too large, bad JSON). */
export function sendGraphQLError(response: ServerResponse, status: number, message: string, code: string, headers?: Record<string, string>): void {
  sendJson(response, status, { errors: [{ message, extensions: { code } }] }, headers);
}
