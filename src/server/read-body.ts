import type { IncomingMessage } from "node:http";

export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes`);
  }
}

/**
 * Reads the whole body as UTF-8, refusing more than `limit` bytes. Its listeners come off the request
 * once it settles: a streamed answer keeps the request for as long as it runs, and listeners left on
 * it would keep the body's chunks (and the socket read they are views of) with them.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError(limit));
      return;
    }
    let chunks: Buffer[] = [];
    let size = 0;
    const detach = (): void => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      chunks = [];
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners("data");
        detach();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      const text = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
      detach();
      resolve(text);
    };
    const onError = (error: Error): void => {
      detach();
      reject(error);
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
  });
}
