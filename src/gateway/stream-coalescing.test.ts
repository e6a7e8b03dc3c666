import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { emptyUsage, type CallRecord, type ChatEvent } from "../core/index.js";
import type { Router } from "../routing/index.js";
import { AttemptEventStream } from "../routing/attempt-event-stream.js";
import { linkedAbort } from "../routing/linked-abort.js";
import { createCompletionService } from "./create-completion-service.js";
import type { StreamChunk } from "./completion-types.js";

/** A router whose one stream yields `events` as fast as they are pulled. */
function routerStreaming(events: ChatEvent[]): Router {
  const deployment = { id: "d1", provider: "openai", model: "m" };
  return {
    resolve: () => ({ name: "g" }),
    now: () => performance.now(),
    stream: async () => ({
      attempts: [],
      deployment,
      group: { name: "g" },
      // The router's own stream over a provider that answers every read at once.
      events: new AttemptEventStream(
        events[0]!,
        (async function* () {
          for (const event of events.slice(1)) yield event;
        })(),
        linkedAbort(),
        "openai",
        () => undefined,
      ),
    }),
  } as unknown as Router;
}

const text = (t: string): ChatEvent => ({ type: "text-delta", text: t });
const finish: ChatEvent = { type: "finish", finish: { unified: "stop", raw: "stop" }, usage: { ...emptyUsage(), inputTokens: 3, outputTokens: 5 }, model: "m", id: "x" } as ChatEvent;

describe("streamed chunks", () => {
  it("send the first delta at once and merge the deltas that arrived while the client was busy", async () => {
    const recorded: CallRecord[] = [];
    const service = createCompletionService({ router: routerStreaming([text("a"), text("b"), text("c"), text("d"), text("e"), finish]), callSink: { record: (r) => recorded.push(r) }, price: () => 0n });
    const chunks: StreamChunk[] = [];
    for await (const chunk of service.stream({ request: { model: "g", messages: [{ role: "user", content: "hi" }] } })) {
      chunks.push(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5)); // a slow client
    }
    const deltas = chunks.filter((chunk) => chunk.kind === "delta").map((chunk) => (chunk.kind === "delta" ? chunk.text : undefined));
    expect(deltas[0]).toBe("a");
    expect(deltas.join("")).toBe("abcde");
    expect(deltas.length).toBeLessThan(5);
    expect(chunks.at(-1)?.kind).toBe("done");
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, i) => i));
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.status).toBe("SUCCESS");
  });

  it("send what one network chunk held after the first delta as one chunk, to a client that keeps up", async () => {
    // Every event is on hand at once (an upstream that answered in one read): the first delta goes
    // alone, the rest of the text in one chunk rather than one per event.
    const service = createCompletionService({ router: routerStreaming([text("a"), text("b"), text("c"), text("d"), text("e"), text("f"), text("g"), text("h"), finish]), callSink: { record: () => undefined }, price: () => 0n });
    const chunks: StreamChunk[] = [];
    for await (const chunk of service.stream({ request: { model: "g", messages: [{ role: "user", content: "hi" }] } })) chunks.push(chunk);
    const deltas = chunks.filter((chunk) => chunk.kind === "delta").map((chunk) => (chunk.kind === "delta" ? chunk.text : undefined));
    expect(deltas).toEqual(["a", "bcdefgh"]);
    expect(chunks.at(-1)?.kind).toBe("done");
  });

  it("keep tool-call deltas apart", async () => {
    const tool = (n: number): ChatEvent => ({ type: "tool-call-delta", index: 0, id: n === 0 ? "t1" : undefined, name: n === 0 ? "f" : undefined, argumentsDelta: `{${n}` }) as ChatEvent;
    const service = createCompletionService({ router: routerStreaming([tool(0), tool(1), tool(2), finish]), callSink: { record: () => undefined }, price: () => 0n });
    const chunks: StreamChunk[] = [];
    for await (const chunk of service.stream({ request: { model: "g", messages: [{ role: "user", content: "hi" }] } })) {
      chunks.push(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(chunks.filter((chunk) => chunk.kind === "delta")).toHaveLength(3);
  });

  it("merge text deltas of one choice only, and pass each choice's finish on", async () => {
    const of = (t: string, choice: number): ChatEvent => (choice === 0 ? text(t) : { type: "text-delta", text: t, choice });
    const finishes = [{ unified: "stop", raw: "stop" }, { unified: "length", raw: "length" }] as const;
    const events = [of("a", 0), of("b", 0), of("x", 1), of("y", 1), of("c", 0), { ...finish, choices: [...finishes] } as ChatEvent];
    const service = createCompletionService({ router: routerStreaming(events), callSink: { record: () => undefined }, price: () => 0n });
    const chunks: StreamChunk[] = [];
    for await (const chunk of service.stream({ request: { model: "g", messages: [{ role: "user", content: "hi" }], n: 2 } })) {
      chunks.push(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const byChoice = ["", ""];
    for (const chunk of chunks) if (chunk.kind === "delta") byChoice[chunk.choice ?? 0] += chunk.text ?? "";
    expect(byChoice).toEqual(["abc", "xy"]);
    const done = chunks.at(-1);
    expect(done?.kind === "done" ? done.choices : undefined).toEqual(finishes);
  });

  it("leave no listener on the caller's signal once the stream ended (it may be a connection's, outliving the stream)", async () => {
    const caller = new AbortController();
    const service = createCompletionService({ router: routerStreaming([text("a"), finish]), callSink: { record: () => undefined }, price: () => 0n });
    const kinds: string[] = [];
    for await (const chunk of service.stream({ request: { model: "g", messages: [{ role: "user", content: "hi" }] }, signal: caller.signal })) kinds.push(chunk.kind);
    expect(kinds.at(-1)).toBe("done");
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });
});
