import { describe, expect, it } from "vitest";
import { emptyUsage, type ChatEvent, type ProviderError } from "../core/index.js";
import { AttemptEventStream } from "./attempt-event-stream.js";
import { linkedAbort } from "./linked-abort.js";

const text = (t: string): ChatEvent => ({ type: "text-delta", text: t });
const finish: ChatEvent = { type: "finish", finish: { unified: "stop", raw: "stop" }, usage: { ...emptyUsage(), inputTokens: 3, outputTokens: 5 }, model: "m", id: "x" } as ChatEvent;

/** A provider's events, each read answered by hand. */
function controllable() {
  const waiting: Array<{ resolve: (step: IteratorResult<ChatEvent>) => void; reject: (error: unknown) => void }> = [];
  let returned = 0;
  let pulls = 0;
  const iterator: AsyncIterator<ChatEvent> = {
    next: () => {
      pulls += 1;
      return new Promise<IteratorResult<ChatEvent>>((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return: async () => {
      returned += 1;
      return { value: undefined, done: true };
    },
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    iterator,
    push: async (value: ChatEvent) => {
      waiting.shift()!.resolve({ value, done: false });
      await settle();
    },
    end: async () => {
      waiting.shift()!.resolve({ value: undefined, done: true });
      await settle();
    },
    fail: async (error: unknown) => {
      waiting.shift()!.reject(error);
      await settle();
    },
    pending: () => waiting.length,
    stats: () => ({ returned, pulls }),
  };
}

function open(first: ChatEvent = text("a")) {
  const source = controllable();
  const link = linkedAbort();
  const ends: Array<{ ok: boolean; error?: ProviderError; tokens?: number }> = [];
  const stream = new AttemptEventStream(first, source.iterator, link, "openai", (ok, error, tokens) => ends.push({ ok, ...(error ? { error } : {}), ...(tokens ? { tokens } : {}) }));
  return { source, link, ends, stream };
}

describe("AttemptEventStream", () => {
  it("hands over the first event at once and everything read meanwhile in one take", async () => {
    const { source, stream, ends } = open();
    expect(await stream.take()).toEqual([text("a")]);
    await source.push(text("b"));
    await source.push(text("c"));
    expect(await stream.take()).toEqual([text("b"), text("c")]);
    await source.push(finish);
    // The attempt ends at the finish, before the consumer sees it.
    expect(ends).toEqual([{ ok: true, tokens: 8 }]);
    await source.end();
    expect(await stream.take()).toEqual([finish]);
    expect(await stream.take()).toBeNull();
    expect(source.stats().returned).toBe(0);
  });

  it("is iterable one event at a time", async () => {
    const { source, stream } = open();
    const seen: ChatEvent[] = [];
    const reading = (async () => {
      for await (const event of stream) seen.push(event);
    })();
    await source.push(text("b"));
    await source.push(finish);
    await source.end();
    await reading;
    expect(seen).toEqual([text("a"), text("b"), finish]);
  });

  it("delivers the events before a failure, then throws it, and ends the attempt with it", async () => {
    const { source, stream, ends } = open();
    await source.push(text("b"));
    await source.fail(new Error("truncated"));
    expect(await stream.take()).toEqual([text("a"), text("b")]);
    await expect(stream.take()).rejects.toThrow("truncated");
    expect(ends).toHaveLength(1);
    expect(ends[0]!.ok).toBe(false);
    expect(ends[0]!.error?.kind).toBe("invalid_response");
  });

  it("fails a stream that ends without a finish", async () => {
    const { source, stream, ends } = open();
    await source.end();
    expect(await stream.take()).toEqual([text("a")]);
    await expect(stream.take()).rejects.toThrow("without a finish");
    expect(ends[0]!.error?.kind).toBe("invalid_response");
  });

  it("stops reading at 64 queued events until the consumer takes", async () => {
    const { source, stream } = open();
    for (let i = 0; i < 63; i++) await source.push(text(String(i)));
    expect(source.stats().pulls).toBe(63); // the first event and 63 more: no read while 64 wait
    expect(source.pending()).toBe(0);
    expect(await stream.take()).toHaveLength(64);
    expect(source.stats().pulls).toBe(64);
  });

  it("aborts the upstream when the consumer leaves while a read waits, and returns it once the read is over", async () => {
    const { source, stream, link, ends } = open();
    expect(await stream.take()).toEqual([text("a")]);
    const taking = stream.take();
    stream.close();
    expect(link.signal.aborted).toBe(true);
    expect(await taking).toBeNull();
    expect(ends).toHaveLength(1);
    expect(ends[0]!.error?.kind).toBe("cancelled");
    await source.fail(new Error("aborted")); // the read in flight ends with the abort
    expect(source.stats().returned).toBe(1);
  });

  it("aborts the upstream when the consumer leaves after the finish but before the provider's end", async () => {
    const { stream, link, ends } = open(finish);
    expect(await stream.take()).toEqual([finish]);
    await stream.return();
    expect(link.signal.aborted).toBe(true);
    expect(ends).toEqual([{ ok: true, tokens: 8 }]);
  });

  it("leaves a finished upstream alone", async () => {
    const { source, stream, link } = open(finish);
    await source.end();
    expect(await stream.take()).toEqual([finish]);
    stream.close();
    expect(link.signal.aborted).toBe(false);
    expect(source.stats().returned).toBe(0);
  });
});
