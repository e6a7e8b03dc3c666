import type { IncomingMessage } from "node:http";
import { REQUEST_LIMITS } from "../gateway/request-limits.js";
import { checkDepth } from "../gateway/validate-call-fields.js";
import { BodyTooLargeError, readBody } from "./read-body.js";

export type JsonObjectBody = { ok: true; body: Record<string, unknown> } | { ok: false; status: 400 | 413; message: string };

/**
 * A /v1 request body as a JSON object, bounded in size and (right after parsing, before any field is
 * walked) in depth; otherwise the status and message each door puts in its own error shape.
 */
export async function readJsonObject(request: IncomingMessage, maxBytes: number): Promise<JsonObjectBody> {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(request, maxBytes));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { ok: false, status: 413, message: error.message };
    return { ok: false, status: 400, message: "The request body is not a JSON object" };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: false, status: 400, message: "The request body is not a JSON object" };
  try {
    checkDepth(body, "body", REQUEST_LIMITS.bodyDepth);
  } catch (error) {
    return { ok: false, status: 400, message: (error as Error).message };
  }
  return { ok: true, body: body as Record<string, unknown> };
}
