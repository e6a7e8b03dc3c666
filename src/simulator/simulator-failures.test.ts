import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import type { SimulatorProfile } from "./index.js";
import { dataEvents, parseChunks, postChat, readUntilError, userMessages, useSimulators, waitFor } from "./simulator.test-helpers.js";

const start = useSimulators();

const withProfile = (profile: SimulatorProfile) => start({ defaultProfile: profile });
const chat = (url: string, extra: Record<string, unknown> = {}, signal?: AbortSignal) =>
  postChat(url, { model: "gpt-4o-mini", messages: userMessages(), ...extra }, { signal });
const STREAM = { stream: true, stream_options: { include_usage: true } };

describe("failure knobs", () => {
  it("rateLimit: 429 with retry headers, rate-limit headers and an OpenAI error body", async () => {
    const simulator = await withProfile({ failures: { rateLimit: 1 }, retryAfterMs: 1500 });
    const response = await chat(simulator.url);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("2");
    expect(response.headers.get("retry-after-ms")).toBe("1500");
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("10000");
    expect(response.headers.get("x-ratelimit-remaining-tokens")).not.toBeNull();
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await response.json()).toEqual({
      error: { message: expect.stringContaining("Rate limit reached"), type: "requests", param: null, code: "rate_limit_exceeded" },
    });
  });

  it("serverError and unavailable: 500 and 503 server_error bodies", async () => {
    const failing = await start({ profiles: { e500: { failures: { serverError: 1 } }, e503: { failures: { unavailable: 1 } } } });
    const e500 = await postChat(failing.url, { model: "m", messages: userMessages() }, { path: "/p/e500/v1/chat/completions" });
    expect(e500.status).toBe(500);
    expect(await e500.json()).toEqual({ error: { message: expect.any(String), type: "server_error", param: null, code: null } });
    const e503 = await postChat(failing.url, { model: "m", messages: userMessages(), stream: true }, { path: "/p/e503/v1/chat/completions" });
    expect(e503.status).toBe(503);
    expect(await e503.json()).toMatchObject({ error: { message: expect.stringContaining("overloaded"), type: "server_error" } });
  });

  it("reset: the client's request fails before any response", async () => {
    const simulator = await withProfile({ failures: { reset: 1 } });
    await expect(chat(simulator.url)).rejects.toThrow();
    await expect(chat(simulator.url, STREAM)).rejects.toThrow();
  });

  it("truncate (stream): about half the chunks, then the connection drops without finish or [DONE]", async () => {
    const simulator = await withProfile({ failures: { truncate: 1 } });
    const response = await chat(simulator.url, STREAM);
    expect(response.status).toBe(200);
    const { text, error } = await readUntilError(response);
    expect(error).toBeDefined();
    expect(text).not.toContain("[DONE]");
    const chunks = parseChunks(dataEvents(text));
    expect(chunks.length).toBeGreaterThanOrEqual(8);
    expect(chunks.every((c) => c.choices[0]?.finish_reason === null)).toBe(true);
  });

  it("truncate (non-stream): half of a body whose content-length promised all of it", async () => {
    const simulator = await withProfile({ failures: { truncate: 1 } });
    const response = await chat(simulator.url);
    expect(response.status).toBe(200);
    const { text, error } = await readUntilError(response);
    expect(error).toBeDefined();
    expect(Buffer.byteLength(text)).toBeLessThan(Number(response.headers.get("content-length")));
    expect(text.startsWith('{"id":"chatcmpl-')).toBe(true);
  });

  it("garbage: a non-JSON event mid-stream, or an unparsable 200 body", async () => {
    const simulator = await withProfile({ failures: { garbage: 1 } });
    const streamed = await (await chat(simulator.url, STREAM)).text();
    const events = dataEvents(streamed);
    const bad = events.indexOf("{not json");
    expect(bad).toBeGreaterThan(0);
    expect(bad).toBeLessThan(events.length - 1);
    expect(events.at(-1)).toBe("[DONE]");

    const plain = await chat(simulator.url);
    expect(plain.status).toBe(200);
    const body = await plain.text();
    expect(() => JSON.parse(body) as unknown).toThrow();
  });

  it("midStreamError: an error event after some chunks and no [DONE]; non-stream requests get a 500", async () => {
    const simulator = await withProfile({ failures: { midStreamError: 1 } });
    const events = dataEvents(await (await chat(simulator.url, STREAM)).text());
    expect(events).not.toContain("[DONE]");
    expect(JSON.parse(events.at(-1)!)).toEqual({ error: { message: expect.any(String), type: "server_error", param: null, code: null } });
    expect(parseChunks(events.slice(0, -1)).length).toBeGreaterThan(2);
    const plain = await chat(simulator.url);
    expect(plain.status).toBe(500);
    await plain.arrayBuffer();
  });

  it("hang: aborting the client request works, and close() ends requests still hanging", async () => {
    const simulator = await withProfile({ failures: { hang: 1 } });
    const controller = new AbortController();
    const aborted = chat(simulator.url, {}, controller.signal);
    const abandoned = chat(simulator.url, STREAM);
    abandoned.catch(() => undefined);
    await waitFor(() => simulator.stats.open === 2, "two hanging requests");
    controller.abort();
    await expect(aborted).rejects.toThrow();
    await waitFor(() => simulator.stats.open === 1, "the aborted request to close");
    await simulator.close();
    await expect(abandoned).rejects.toThrow();
    expect(simulator.stats.open).toBe(0);
  });

  it("firstTokenMs: a client that leaves during the delay is cleaned up", async () => {
    const simulator = await withProfile({ firstTokenMs: 60_000 });
    const controller = new AbortController();
    const pending = chat(simulator.url, STREAM, controller.signal);
    await waitFor(() => simulator.stats.open === 1, "the delayed request");
    controller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => simulator.stats.open === 0, "the delayed request to close");
  });

  it("draws failures per request from the seed: mixed outcomes, identical for the same seed", async () => {
    const profile: SimulatorProfile = { failures: { rateLimit: 0.3, serverError: 0.2 }, outputTokens: 1 };
    const statuses = async (seed: number) => {
      const simulator = await start({ seed, defaultProfile: profile });
      const result: number[] = [];
      for (let i = 0; i < 30; i++) {
        const response = await chat(simulator.url);
        await response.arrayBuffer();
        result.push(response.status);
      }
      return result;
    };
    const first = await statuses(11);
    expect(new Set(first)).toEqual(new Set([200, 429, 500]));
    expect(await statuses(11)).toEqual(first);
    expect(await statuses(12)).not.toEqual(first);
  });
});

describe("determinism", () => {
  const run = async (seed: number) => {
    const simulator = await start({ seed, profiles: { other: {} } });
    const answers: string[] = [];
    for (const text of ["one", "two", "one"]) {
      const response = await chat(simulator.url, { messages: userMessages(text) });
      answers.push(await response.text());
    }
    const streamed = await postChat(simulator.url, { model: "m", messages: userMessages(), stream: true }, { path: "/p/other/v1/chat/completions" });
    answers.push(await streamed.text());
    return answers.map((a) => a.replace(/"created":\d+/g, ""));
  };

  it("gives the same outputs for the same seed and requests, and different ones for another seed", async () => {
    const first = await run(1);
    expect(await run(1)).toEqual(first);
    expect(first[0]).not.toEqual(first[2]);
    const other = await run(2);
    for (let i = 0; i < first.length; i++) expect(other[i]).not.toEqual(first[i]);
  });
});

describe("chunkBytes", () => {
  /** Sends a raw HTTP request and decodes the chunked response, keeping each chunk's size. */
  function rawChunkedPost(url: string, body: string): Promise<{ sizes: number[]; body: string }> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      const received: Buffer[] = [];
      socket.on("data", (data: Buffer) => received.push(data));
      socket.on("error", reject);
      socket.on("end", () => {
        const raw = Buffer.concat(received);
        const headerEnd = raw.indexOf("\r\n\r\n");
        let offset = headerEnd + 4;
        const sizes: number[] = [];
        const pieces: Buffer[] = [];
        for (;;) {
          const lineEnd = raw.indexOf("\r\n", offset);
          const size = parseInt(raw.subarray(offset, lineEnd).toString("latin1"), 16);
          if (size === 0) break;
          sizes.push(size);
          pieces.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
          offset = lineEnd + 2 + size + 2;
        }
        resolve({ sizes, body: Buffer.concat(pieces).toString("utf8") });
      });
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
  }

  it("splits every streamed write into pieces of at most chunkBytes bytes", async () => {
    const simulator = await withProfile({ chunkBytes: 7, outputTokens: 8 });
    const { sizes, body } = await rawChunkedPost(simulator.url, JSON.stringify({ model: "m", messages: userMessages(), stream: true }));
    expect(sizes.length).toBeGreaterThan(20);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
    expect(dataEvents(body).at(-1)).toBe("[DONE]");
  });

  it("still delivers a whole, parseable non-streaming body", async () => {
    const simulator = await withProfile({ chunkBytes: 5 });
    const response = await chat(simulator.url);
    expect(((await response.json()) as { object: string }).object).toBe("chat.completion");
  });
});
