import { afterEach, describe, expect, it } from "vitest";
import { CONNECTION_WAIT_CODE, type ChatEvent } from "../core/index.js";
import { createHttpClient, type HttpClient } from "../providers/http/create-http-client.js";
import { startFakeUpstream, type FakeUpstream } from "../providers/http/testing/start-fake-upstream.js";
import { createOpenAIAdapter } from "../providers/openai/create-openai-adapter.js";
import { AllDeploymentsFailedError } from "./all-deployments-failed-error.js";
import { createRouter } from "./create-router.js";
import { createHealthTracker } from "./health/create-health-tracker.js";
import type { ModelGroup } from "./model-group.js";

// Real sockets through a tiny pool: the wait for a connection must not be charged to the provider.
let upstream: FakeUpstream | undefined;
let http: HttpClient | undefined;
afterEach(async () => {
  await http?.close();
  await upstream?.close();
});

const chunk = (text: string) => `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", model: "m", choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;

/** An upstream whose streams each last `streamMs` (first token after `firstTokenMs`), counting how many run at once. */
async function slowUpstream(firstTokenMs: number, streamMs: number) {
  let running = 0;
  let peak = 0;
  upstream = await startFakeUpstream(async (_request, response) => {
    running++;
    peak = Math.max(peak, running);
    response.writeHead(200, { "content-type": "text/event-stream" });
    await new Promise((resolve) => setTimeout(resolve, firstTokenMs));
    response.write(chunk("one "));
    await new Promise((resolve) => setTimeout(resolve, streamMs - firstTokenMs));
    response.write(chunk("two"));
    response.end("data: [DONE]\n\n");
    running--;
  });
  return { peak: () => peak };
}

function setup(connections: number, group: Partial<ModelGroup>) {
  http = createHttpClient({ connections });
  const adapter = createOpenAIAdapter({ provider: "openai", baseUrl: `${upstream!.url}/v1`, apiKey: "k", extra: {}, httpClient: http });
  const health = createHealthTracker({ deployments: [{ id: "d", group: "g" }], cooldown: { failures: 1, windowMs: 60_000, durationMs: 60_000 } });
  const router = createRouter({
    groups: [{
      name: "g", aliases: [], strategy: "weighted", fallbacks: [], contextWindowFallbacks: [], contentPolicyFallbacks: [], rateLimitFallbacks: [],
      retries: 0, timeoutMs: 30_000, firstTokenTimeoutMs: 5_000, deployments: [{ id: "d", provider: "openai", model: "m", weight: 1, adapter }], ...group,
    }],
    health,
    defaults: { backoff: { baseMs: 1, maxMs: 1 }, fallbacks: { rateLimit: [], contextWindow: [], contentPolicy: [] } },
  });
  return { router, health };
}

const ask = { model: "g", messages: [{ role: "user" as const, content: "hi" }] };

async function readAll(events: AsyncIterable<ChatEvent>): Promise<string> {
  let text = "";
  for await (const event of events) if (event.type === "text-delta") text += event.text;
  return text;
}

describe("waiting for a pooled connection", () => {
  it("lets 10 streams through a pool of 2 complete, none a first-token timeout, no cooldown", async () => {
    const fake = await slowUpstream(50, 300);
    // Five rounds of 300 ms through 2 connections: the last streams wait ~1.2 s, far past the 200 ms first-token limit.
    const { router, health } = setup(2, { firstTokenTimeoutMs: 200 });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, async () => readAll((await router.stream(ask)).events)),
    );
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : String(r.reason)))).toEqual(Array(10).fill("one two"));
    expect(fake.peak()).toBe(2);
    expect(health.snapshot("d").status).not.toBe("COOLING_DOWN");
    expect(health.snapshot("d").lastErrorKind).toBeUndefined();
  });

  it("fails a wait past the attempt's deadline as a connection wait, without cooling the deployment down", async () => {
    await slowUpstream(50, 600);
    const { router, health } = setup(1, { timeoutMs: 300, firstTokenTimeoutMs: 200 });
    const first = router.stream(ask);
    const second = await router.stream(ask).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(second).toBeInstanceOf(AllDeploymentsFailedError);
    const attempt = (second as AllDeploymentsFailedError).attempts[0]!;
    expect(attempt.error?.kind).toBe("connection");
    expect(attempt.error?.code).toBe(CONNECTION_WAIT_CODE);
    expect(attempt.error?.message).toMatch(/^waited \d+ ms for a connection to http:\/\/127\.0\.0\.1:\d+ \(pool of 1 full\)$/);
    expect(await readAll((await first).events)).toBe("one two");
    expect(health.snapshot("d").status).not.toBe("COOLING_DOWN");
  });
});
