import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const stringHeader = (value: string) => ({ type: "string" as const, value });

/**
 * One ConverseStream event frame as Bedrock sends it (WIRE §5.5), built with smithy's encoder
 * so lengths and CRCs are right. `padding` mimics the service's random `p` field, which
 * clients must ignore.
 */
export function encodeBedrockEvent(eventType: string, payload: Record<string, unknown>, padding = "abcdefgh"): Buffer {
  const body = padding === "" ? payload : { ...payload, p: padding };
  const bytes = codec.encode({
    headers: {
      ":event-type": stringHeader(eventType),
      ":content-type": stringHeader("application/json"),
      ":message-type": stringHeader("event"),
    },
    body: fromUtf8(JSON.stringify(body)),
  });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** An exception frame, as Bedrock sends a failure after the 200 (`throttlingException`, …). */
export function encodeBedrockException(exceptionType: string, payload: Record<string, unknown>): Buffer {
  const bytes = codec.encode({
    headers: {
      ":exception-type": stringHeader(exceptionType),
      ":content-type": stringHeader("application/json"),
      ":message-type": stringHeader("exception"),
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Any frame, for shapes Bedrock should not send (unknown message types, non-JSON payloads). */
export function encodeEventStreamFrame(headers: Record<string, string>, body: string): Buffer {
  const bytes = codec.encode({
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, stringHeader(value)])),
    body: fromUtf8(body),
  });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
