/** Shared by the wire formats' tests (not a *.test.ts file, so vitest does not run it on its own). */
import { EventStreamCodec, type Message } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

export function post(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(baseUrl + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** Splits an SSE body into events, insisting on blank-line framing; comment lines are kept out. */
export function parseSse(text: string, lineEnding: "\n" | "\r\n" = "\n"): SseEvent[] {
  const separator = lineEnding + lineEnding;
  if (!text.endsWith(separator)) throw new Error(`stream does not end with a blank line: ${JSON.stringify(text.slice(-40))}`);
  return text
    .slice(0, -separator.length)
    .split(separator)
    .filter((block) => !block.startsWith(":"))
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split(lineEnding)) {
        if (line.startsWith("event: ")) event = line.slice("event: ".length);
        else if (line.startsWith("data: ")) data.push(line.slice("data: ".length));
        else throw new Error(`unexpected SSE line: ${JSON.stringify(line)}`);
      }
      return { event, data: data.join("\n") };
    });
}

/** Reads a body to the end, returning the bytes that arrived and the error that stopped it, if any. */
export async function readBytesUntilError(response: Response): Promise<{ bytes: Buffer; error: unknown }> {
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(chunks), error: undefined };
      chunks.push(value);
    }
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Decodes back-to-back event-stream messages by their length prefix; decode() checks both CRCs. */
export function decodeFrames(bytes: Uint8Array): Message[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const messages: Message[] = [];
  let offset = 0;
  while (offset < view.length) {
    const length = view.readUInt32BE(offset);
    messages.push(codec.decode(view.subarray(offset, offset + length)));
    offset += length;
  }
  return messages;
}

export interface DecodedFrame {
  messageType: unknown;
  /** `:event-type`, or `:exception-type` for exceptions. */
  type: unknown;
  contentType: unknown;
  payload: string;
}

export const describeFrame = (message: Message): DecodedFrame => ({
  messageType: message.headers[":message-type"]?.value,
  type: (message.headers[":event-type"] ?? message.headers[":exception-type"])?.value,
  contentType: message.headers[":content-type"]?.value,
  payload: toUtf8(message.body),
});
