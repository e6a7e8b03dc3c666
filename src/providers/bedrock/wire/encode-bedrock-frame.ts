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

/**
 * A ConverseStream event frame for a payload object. `padding` stands for the service's random `p`
 * field, which clients must ignore; "" leaves it out.
 */
export function encodeBedrockEvent(eventType: string, payload: Record<string, unknown>, padding = "abcdefgh"): Buffer {
  return encodeBedrockFrame("event", eventType, JSON.stringify(padding === "" ? payload : { ...payload, p: padding }));
}

/** An exception frame, as Bedrock sends a failure after the 200 (`throttlingException`, …). */
export function encodeBedrockException(exceptionType: string, payload: Record<string, unknown>): Buffer {
  return encodeBedrockFrame("exception", exceptionType, JSON.stringify(payload));
}

/** Any frame with string headers, for shapes Bedrock should not send (unknown message types, non-JSON payloads). */
export function encodeEventStreamFrame(headers: Record<string, string>, body: string): Buffer {
  const bytes = codec.encode({
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { type: "string" as const, value }])),
    body: fromUtf8(body),
  });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
