import type { ServerResponse } from "node:http";
import { writeSplit } from "./write-split.js";

/** A complete JSON response with content-length, so pooled keep-alive connections stay usable. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
  chunkBytes?: number,
): void {
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  if (chunkBytes === undefined) {
    res.end(body);
    return;
  }
  writeSplit(res, body, chunkBytes);
  res.end();
}
