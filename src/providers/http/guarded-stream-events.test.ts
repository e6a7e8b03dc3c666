import { describe, expect, it } from "vitest";
import { ProviderError, emptyUsage, type ChatEvent } from "../../core/index.js";
import { guardedStreamEvents } from "./guarded-stream-events.js";
import { SseError } from "./sse-events.js";
import type { StreamDecoder, StreamFramer } from "./stream-frames.js";
import { fakeHttpResponse } from "./testing/fake-http-response.js";

const text: ChatEvent = { type: "text-delta", text: "hi" };
const finish: ChatEvent = {
  type: "finish",
  finish: { unified: "stop", raw: "stop" },
  usage: emptyUsage(),
  model: "m",
  id: "1",
};

// Each chunk is one line of words: a word is a frame, "!" breaks the framing after the frames before it.
const wordFrames = (): StreamFramer<string> => {
  const frames: string[] = [];
  return {
    frames,
    write(chunk) {
      for (const word of Buffer.from(chunk).toString("utf8").split(" ")) {
        if (word === "!") throw new SseError("line too long");
        frames.push(word);
      }
    },
    end() {},
  };
};

// "hi" is a text delta, "done" ends the stream, "bad" is a provider's garbage.
const wordDecoder = (): StreamDecoder<string> => {
  let done = false;
  return {
    decode(word, out) {
      if (word === "bad") throw new ProviderError({ kind: "invalid_response", provider: "p", message: "bad word" });
      if (word === "done") return (done = true);
      out.push(text);
      return false;
    },
    end(out) {
      if (!done) throw new ProviderError({ kind: "connection", provider: "p", message: "stream ended before completion" });
      out.push(finish);
    },
  };
};

async function* chunks(lines: string[], error?: unknown): AsyncGenerator<Uint8Array> {
  for (const line of lines) yield Buffer.from(line);
  if (error !== undefined) throw error;
}

const run = async (lines: string[], error?: unknown) => {
  const response = fakeHttpResponse({ body: chunks(lines, error) });
  const events: ChatEvent[] = [];
  let failure: unknown;
  try {
    for await (const event of guardedStreamEvents(response, wordFrames(), wordDecoder(), { provider: "acme" })) events.push(event);
  } catch (caught) {
    failure = caught;
  }
  return { events, error: failure, released: response.released, aborted: response.aborted };
};

describe("guardedStreamEvents", () => {
  it("passes events through and releases the response after finish", async () => {
    expect(await run(["hi hi", "done"])).toEqual({ events: [text, text, finish], error: undefined, released: 1, aborted: 0 });
  });

  it("aborts when the frames end without the decoder's end", async () => {
    const result = await run(["hi"]);
    expect(result.events).toEqual([text]);
    expect(ProviderError.isInstance(result.error) && result.error.kind).toBe("connection");
    expect([result.released, result.aborted]).toEqual([0, 1]);
  });

  it("aborts when the consumer stops early", async () => {
    const response = fakeHttpResponse({ body: chunks(["hi done"]) });
    for await (const event of guardedStreamEvents(response, wordFrames(), wordDecoder(), { provider: "p" })) {
      expect(event).toEqual(text);
      break;
    }
    expect([response.released, response.aborted]).toEqual([0, 1]);
  });

  it("yields the frames before a framing failure, then turns the SseError into invalid_response", async () => {
    const result = await run(["hi", "hi !"]);
    expect(result.events).toEqual([text, text]);
    expect(ProviderError.isInstance(result.error) && [result.error.kind, result.error.provider, result.error.message]).toEqual([
      "invalid_response",
      "acme",
      "line too long",
    ]);
    expect(result.aborted).toBe(1);
  });

  it("throws the decoder's failure before a later framing failure, and reads nothing after the end", async () => {
    const first = await run(["hi bad !"]);
    expect(first.events).toEqual([text]);
    expect(ProviderError.isInstance(first.error) && first.error.message).toBe("bad word");
    expect(await run(["hi done bad !", "bad"])).toEqual({ events: [text, finish], error: undefined, released: 1, aborted: 0 });
  });

  it("maps a transport error and passes a ProviderError through unchanged", async () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const first = await run(["hi"], reset);
    expect(ProviderError.isInstance(first.error) && first.error.kind).toBe("connection");
    expect(first.error).not.toBe(reset);

    const own = new ProviderError({ kind: "timeout", provider: "p", message: "slow" });
    expect((await run([], own)).error).toBe(own);
  });
});
