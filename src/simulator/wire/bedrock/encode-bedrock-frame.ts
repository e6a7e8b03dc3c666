import { EventStreamCodec, type MessageHeaders } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

// Encoding is stateless; one codec serves every request.
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const headerCache = new Map<string, MessageHeaders>();

function headersFor(messageType: "event" | "exception", name: string): MessageHeaders {
  const key = `${messageType}:${name}`;
  let headers = headerCache.get(key);
  if (headers === undefined) {
    headers = {
      [messageType === "event" ? ":event-type" : ":exception-type"]: { type: "string", value: name },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: messageType },
    };
    headerCache.set(key, headers);
  }
  return headers;
}

/**
 * One `application/vnd.amazon.eventstream` message (WIRE §5.5) with string headers
 * `:event-type` (or `:exception-type`), `:content-type` and `:message-type`, CRCs by the codec.
 */
export function encodeBedrockFrame(messageType: "event" | "exception", name: string, payload: string): Buffer {
  const bytes = codec.encode({ headers: headersFor(messageType, name), body: fromUtf8(payload) });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
