import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { BodyTooLargeError, readBody } from "./read-body.js";

const request = (): PassThrough & { headers: Record<string, string> } => Object.assign(new PassThrough(), { headers: {} });

describe("readBody", () => {
  it("reads the body and takes its listeners off the request once it ends (a streamed answer keeps the request)", async () => {
    const body = request();
    const reading = readBody(body as unknown as IncomingMessage, 100);
    body.write('{"a":');
    body.end("1}");
    await expect(reading).resolves.toBe('{"a":1}');
    expect(body.listenerCount("data") + body.listenerCount("end") + body.listenerCount("error")).toBe(0);
  });

  it("refuses a body over the limit and takes its listeners off", async () => {
    const body = request();
    const reading = readBody(body as unknown as IncomingMessage, 4);
    body.write("too long");
    await expect(reading).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(body.listenerCount("data") + body.listenerCount("end") + body.listenerCount("error")).toBe(0);
  });

  it("rejects with the request's error", async () => {
    const body = request();
    const reading = readBody(body as unknown as IncomingMessage, 100);
    body.destroy(new Error("aborted"));
    await expect(reading).rejects.toThrow("aborted");
  });
});
