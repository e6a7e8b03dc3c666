import { describe, expect, it } from "vitest";
import { createHttpClient } from "../providers/http/create-http-client.js";
import { CHAT_PATH, useSimulators } from "./simulator.test-helpers.js";

const start = useSimulators();

const readAll = async (body: AsyncIterable<Uint8Array>): Promise<string> => {
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
  return text;
};

describe("the simulator over h2c", () => {
  it("serves concurrent streams over HTTP/2 to a client that offers h2c", async () => {
    const simulator = await start({ http2: true, seed: 3, defaultProfile: { outputTokens: 4, tokensPerSecond: 40 } });
    let sent = 0;
    const client = createHttpClient({ http2: true });
    try {
      const bodies = await Promise.all(
        Array.from({ length: 5 }, async () => {
          const response = await client.postJson(`${simulator.url}${CHAT_PATH}`, { model: "m", stream: true, messages: [{ role: "user", content: "hi" }] }, { provider: "openai", onSent: () => sent++ });
          expect(response.status).toBe(200);
          expect(response.headers["content-type"]).toContain("text/event-stream");
          return readAll(response.body);
        }),
      );
      for (const text of bodies) expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
      expect(sent).toBe(5);
      expect(simulator.stats.requests).toBe(5);
    } finally {
      await client.close();
    }
  });

  it("refuses an HTTP/1.1 client (prior knowledge only), so a deployment without http2 fails rather than silently working", async () => {
    const simulator = await start({ http2: true });
    const client = createHttpClient();
    try {
      await expect(client.postJson(`${simulator.url}${CHAT_PATH}`, { model: "m", messages: [] }, { provider: "openai" })).rejects.toMatchObject({ kind: "connection" });
    } finally {
      await client.close();
    }
  });
});
