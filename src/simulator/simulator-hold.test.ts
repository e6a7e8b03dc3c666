import { describe, expect, it } from "vitest";
import { dataEvents, parseChunks, postChat, userMessages, useSimulators, waitFor } from "./simulator.test-helpers.js";

const start = useSimulators();
const held = { holdAfterFirstToken: true, tokensPerSecond: 1000, outputTokens: 4 };

/** Reads a stream until its text holds `until`; the reader stays open for the rest. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: string, text = ""): Promise<string> {
  const decoder = new TextDecoder();
  while (!text.includes(until)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe("holdAfterFirstToken", () => {
  it("sends the first token, holds every stream until released, then paces the rest to [DONE]", async () => {
    const simulator = await start({ profiles: { held } });
    const url = `${simulator.url}/p/held`;
    const readers = await Promise.all([1, 2, 3].map(async () => {
      const response = await postChat(url, { model: "gpt-4o-mini", messages: userMessages(), stream: true });
      expect(response.status).toBe(200);
      return response.body!.getReader();
    }));
    const firsts = await Promise.all(readers.map((reader) => readUntil(reader, '"content":"')));
    for (const text of firsts) {
      const chunks = parseChunks(dataEvents(text));
      expect(chunks.map((c) => c.choices[0]?.delta.content)).toEqual(["", expect.any(String)]);
      expect(text).not.toContain("[DONE]");
    }
    expect(simulator.releaseHeldStreams()).toBe(3);
    const whole = await Promise.all(readers.map((reader, i) => readUntil(reader, "[DONE]", firsts[i])));
    for (const text of whole) {
      const contents = parseChunks(dataEvents(text).filter((e) => e !== "[DONE]")).map((c) => c.choices[0]?.delta.content).filter((c) => c);
      expect(contents).toHaveLength(4);
      expect(dataEvents(text).at(-1)).toBe("[DONE]");
    }
    // Released: a later stream does not wait.
    const later = await postChat(url, { model: "gpt-4o-mini", messages: userMessages(), stream: true });
    expect(dataEvents(await later.text()).at(-1)).toBe("[DONE]");
    expect(simulator.releaseHeldStreams()).toBe(0);
  });

  it("forgets a held stream whose client went away", async () => {
    const simulator = await start({ profiles: { held } });
    const controller = new AbortController();
    const response = await postChat(`${simulator.url}/p/held`, { model: "gpt-4o-mini", messages: userMessages(), stream: true }, { signal: controller.signal });
    await readUntil(response.body!.getReader(), '"content":"');
    controller.abort();
    await waitFor(() => simulator.stats.open === 0, "the aborted stream to close");
    expect(simulator.releaseHeldStreams()).toBe(0);
  });
});
