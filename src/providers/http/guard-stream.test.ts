import { describe, expect, it } from "vitest";
import { ProviderError, emptyUsage, type ChatEvent } from "../../core/index.js";
import { guardStream } from "./guard-stream.js";
import { SseError } from "./sse-events.js";
import { fakeHttpResponse } from "./testing/fake-http-response.js";

const text: ChatEvent = { type: "text-delta", text: "hi" };
const finish: ChatEvent = {
  type: "finish",
  finish: { unified: "stop", raw: "stop" },
  usage: emptyUsage(),
  model: "m",
  id: "1",
};

async function* eventsThenThrow(events: ChatEvent[], error?: unknown): AsyncGenerator<ChatEvent> {
  for (const event of events) yield event;
  if (error !== undefined) throw error;
}

const collect = async (stream: AsyncIterable<ChatEvent>): Promise<{ events: ChatEvent[]; error?: unknown }> => {
  const events: ChatEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
};

describe("guardStream", () => {
  it("passes events through and releases the response after finish", async () => {
    const response = fakeHttpResponse();
    const { events, error } = await collect(guardStream(response, () => eventsThenThrow([text, finish]), { provider: "p" }));
    expect(error).toBeUndefined();
    expect(events).toEqual([text, finish]);
    expect([response.released, response.aborted]).toEqual([1, 0]);
  });

  it("aborts when the events end without finish", async () => {
    const response = fakeHttpResponse();
    await collect(guardStream(response, () => eventsThenThrow([text]), { provider: "p" }));
    expect([response.released, response.aborted]).toEqual([0, 1]);
  });

  it("aborts when the consumer stops early", async () => {
    const response = fakeHttpResponse();
    for await (const event of guardStream(response, () => eventsThenThrow([text, finish]), { provider: "p" })) {
      expect(event).toEqual(text);
      break;
    }
    expect([response.released, response.aborted]).toEqual([0, 1]);
  });

  it("does not build the event chain before the first read", async () => {
    let built = 0;
    const stream = guardStream(fakeHttpResponse(), () => (built++, eventsThenThrow([finish])), { provider: "p" });
    expect(built).toBe(0);
    await collect(stream);
    expect(built).toBe(1);
  });

  it("turns an SseError into invalid_response and aborts", async () => {
    const response = fakeHttpResponse();
    const cause = new SseError("line too long");
    const { events, error } = await collect(guardStream(response, () => eventsThenThrow([text], cause), { provider: "acme" }));
    expect(events).toEqual([text]);
    expect(ProviderError.isInstance(error) && [error.kind, error.provider, error.message, error.cause]).toEqual([
      "invalid_response",
      "acme",
      "line too long",
      cause,
    ]);
    expect(response.aborted).toBe(1);
  });

  it("maps a transport error and passes a ProviderError through unchanged", async () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const first = await collect(guardStream(fakeHttpResponse(), () => eventsThenThrow([], reset), { provider: "p" }));
    expect(ProviderError.isInstance(first.error) && first.error.kind).toBe("connection");

    const own = new ProviderError({ kind: "timeout", provider: "p", message: "slow" });
    const second = await collect(guardStream(fakeHttpResponse(), () => eventsThenThrow([], own), { provider: "p" }));
    expect(second.error).toBe(own);
  });

  it("releases when the stream fails after finish was seen", async () => {
    const response = fakeHttpResponse();
    await collect(guardStream(response, () => eventsThenThrow([finish], new Error("late")), { provider: "p" }));
    expect([response.released, response.aborted]).toEqual([1, 0]);
  });
});
