import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { ProviderError } from "../../../core/index.js";
import { streamFrames, type StreamFramer } from "../../http/stream-frames.js";

/** One decoded `application/vnd.amazon.eventstream` message: typed headers and the raw payload. */
export type EventStreamMessage = ReturnType<EventStreamCodec["decode"]>;

export interface EventStreamMessagesOptions {
  provider: string;
  /** A frame announcing more than this is treated as garbage rather than buffered; default 16 MiB. */
  maxMessageBytes?: number;
}

/** total_length + headers_length + prelude CRC + message CRC (WIRE §5.5). */
const MIN_MESSAGE_BYTES = 16;
const LENGTH_BYTES = 4;
const EMPTY = new Uint8Array(0);

const concat = (head: Uint8Array, tail: Uint8Array): Uint8Array => {
  const out = new Uint8Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  return out;
};

/**
 * Cuts response bytes into event-stream messages as they arrive and decodes each with smithy's
 * codec, which checks both CRCs and parses the headers. Chunks may split or pack frames
 * anywhere: only the `total_length` prefix is read here, to know when a frame is complete.
 * A frame that fails its checks or announces an absurd length is an `invalid_response` (the
 * messages before it in the chunk are still read first); bytes ending inside a frame are a
 * truncated stream (`connection`).
 */
export function eventStreamFrames(options: EventStreamMessagesOptions): StreamFramer<EventStreamMessage> {
  const { provider } = options;
  const maxBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const frames: EventStreamMessage[] = [];
  let pending: Uint8Array = EMPTY;
  return {
    frames,
    write(chunk) {
      const bytes = pending.length === 0 ? chunk : concat(pending, chunk);
      let offset = 0;
      while (bytes.length - offset >= LENGTH_BYTES) {
        const total = new DataView(bytes.buffer, bytes.byteOffset + offset, LENGTH_BYTES).getUint32(0, false);
        if (total < MIN_MESSAGE_BYTES || total > maxBytes) {
          throw new ProviderError({
            kind: "invalid_response",
            provider,
            message: `event stream frame announces ${total} bytes, which no valid frame has`,
          });
        }
        if (bytes.length - offset < total) break;
        try {
          frames.push(codec.decode(bytes.subarray(offset, offset + total)));
        } catch (error) {
          throw new ProviderError({
            kind: "invalid_response",
            provider,
            message: `event stream frame does not decode: ${error instanceof Error ? error.message : String(error)}`,
            cause: error,
          });
        }
        offset += total;
      }
      pending = offset === bytes.length ? EMPTY : bytes.subarray(offset);
    },
    end() {
      if (pending.length > 0) {
        throw new ProviderError({ kind: "connection", provider, message: "stream ended before completion" });
      }
    },
  };
}

/** eventStreamFrames' messages as an async generator, for tests and callers holding bytes. */
export function eventStreamMessages(body: AsyncIterable<Uint8Array>, options: EventStreamMessagesOptions): AsyncGenerator<EventStreamMessage, void, undefined> {
  return streamFrames(body, eventStreamFrames(options));
}
