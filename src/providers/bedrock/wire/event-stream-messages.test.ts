import { describe, expect, it } from "vitest";
import { eventStreamMessages, type EventStreamMessage } from "./event-stream-messages.js";
import { encodeBedrockEvent } from "./encode-bedrock-frame.js";
import { providerFailure as failure } from "../../http/testing/adapter-test-helpers.js";

// smithy's TestVectors.fixture.ts, as quoted in WIRE §5.5.
const EMPTY_MESSAGE = "000000100000000005c248eb7d98c8ff";
const PAYLOAD_ONLY = "0000001d00000000fd528c5a7b27666f6f273a27626172277dc3653936";
const WITH_HEADER =
  "0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1";

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

const decodeAll = async (source: AsyncIterable<Uint8Array>, maxMessageBytes?: number): Promise<EventStreamMessage[]> => {
  const out: EventStreamMessage[] = [];
  for await (const message of eventStreamMessages(source, { provider: "bedrock", ...(maxMessageBytes !== undefined ? { maxMessageBytes } : {}) })) {
    out.push(message);
  }
  return out;
};


const summary = (message: EventStreamMessage) => ({
  headers: Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, value.value])),
  body: Buffer.from(message.body).toString("utf8"),
});

describe("eventStreamMessages", () => {
  it("decodes the codec's test vectors packed into one chunk", async () => {
    const bytes = Buffer.from(EMPTY_MESSAGE + PAYLOAD_ONLY + WITH_HEADER, "hex");
    expect((await decodeAll(chunksOf(bytes, bytes.length))).map(summary)).toEqual([
      { headers: {}, body: "" },
      { headers: {}, body: "{'foo':'bar'}" },
      { headers: { "content-type": "application/json" }, body: "{'foo':'bar'}" },
    ]);
  });

  it("yields the same messages whatever the chunk boundaries, multi-byte characters included", async () => {
    const bytes = Buffer.concat([
      encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "héllo 日本 🚀" } }),
      encodeBedrockEvent("messageStop", { stopReason: "end_turn" }),
    ]);
    const expected = (await decodeAll(chunksOf(bytes, bytes.length))).map(summary);
    expect(expected).toHaveLength(2);
    expect(JSON.parse(expected[0]?.body ?? "")).toMatchObject({ delta: { text: "héllo 日本 🚀" } });
    for (let size = 1; size <= bytes.length; size++) {
      expect((await decodeAll(chunksOf(bytes, size))).map(summary)).toEqual(expected);
    }
  });

  it("yields a message as soon as its last byte arrives, before the body ends", async () => {
    const first = encodeBedrockEvent("messageStart", { role: "assistant" });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* source(): AsyncGenerator<Uint8Array> {
      yield first.subarray(0, 10);
      yield first.subarray(10);
      await gate;
    }
    const iterator = eventStreamMessages(source(), { provider: "bedrock" });
    const next = await iterator.next();
    expect(next.done).toBe(false);
    release();
    expect((await iterator.next()).done).toBe(true);
  });

  it("rejects a frame whose CRC does not match as invalid_response", async () => {
    const bytes = Buffer.from(PAYLOAD_ONLY, "hex");
    bytes[20] = 0x41;
    const error = await failure(decodeAll(chunksOf(bytes, 7)));
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toContain("checksum");
  });

  it("rejects garbage announcing an absurd length without buffering it", async () => {
    expect((await failure(decodeAll(chunksOf(Buffer.from("<html>oops</html>"), 4)))).kind).toBe("invalid_response");
    expect((await failure(decodeAll(chunksOf(Buffer.from("00000003aaaaaaaa", "hex"), 4)))).kind).toBe("invalid_response");
    expect((await failure(decodeAll(chunksOf(Buffer.from(WITH_HEADER, "hex"), 5), 32))).kind).toBe("invalid_response");
  });

  it("calls bytes that end inside a frame a truncated stream", async () => {
    const bytes = Buffer.from(PAYLOAD_ONLY + WITH_HEADER, "hex");
    for (const cut of [2, 29 + 3, bytes.length - 1]) {
      const error = await failure(decodeAll(chunksOf(bytes.subarray(0, cut), 8)));
      expect(error.kind).toBe("connection");
      expect(error.message).toBe("stream ended before completion");
    }
  });
});
