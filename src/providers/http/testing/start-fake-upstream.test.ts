import { Agent, request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "./start-fake-upstream.js";

let upstream: FakeUpstream | undefined;
let agent: Agent | undefined;

afterEach(async () => {
  agent?.destroy();
  await upstream?.close();
  agent = undefined;
  upstream = undefined;
});

const get = (url: string, via: Agent): Promise<void> =>
  new Promise((resolve, reject) => {
    request(url, { agent: via }, (response) => {
      response.resume();
      response.on("end", resolve);
    })
      .on("error", reject)
      .end();
  });

describe("startFakeUpstream", () => {
  it("adds one close listener per socket however many requests a kept-alive socket carries", async () => {
    const closeListeners: number[] = [];
    upstream = await startFakeUpstream((_request, response, raw) => {
      closeListeners.push(raw.socket.listenerCount("close"));
      response.writeHead(200, { "content-length": "2" }).end("ok");
    });
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 15; i++) await get(`${upstream.url}/r${i}`, agent);

    expect(upstream.connectionCount()).toBe(1);
    expect(new Set(upstream.requests.map((recorded) => recorded.remotePort)).size).toBe(1);
    expect(new Set(closeListeners).size).toBe(1);
  });

  it("resolves socketClosed for every request when their shared socket closes", async () => {
    upstream = await startFakeUpstream((_request, response) => {
      response.writeHead(200, { "content-length": "2" }).end("ok");
    });
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await get(`${upstream.url}/a`, agent);
    await get(`${upstream.url}/b`, agent);
    agent.destroy();
    await Promise.all(upstream.requests.map((recorded) => recorded.socketClosed));
    expect(upstream.requests).toHaveLength(2);
  });
});
