import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallDocument, CompleteDocument, ModelsDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { E2E_CONFIG } from "./gateway-config.js";

// gpt-4o-mini in the bundled catalog: $0.15 / $0.60 per million tokens.
const INPUT_PICO = 150_000n;
const OUTPUT_PICO = 600_000n;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(E2E_CONFIG);
});
afterAll(async () => {
  await gateway?.close();
});

const user = (content: string) => [{ role: "USER" as const, content }];

describe("complete over HTTP", () => {
  it("answers through the simulator and prices the call exactly", async () => {
    const result = await gateway.execute(CompleteDocument, { input: { model: "gpt-4o-mini", messages: user("Say hello"), metadata: { feature: "e2e" }, user: "u-1" } });
    expect(result.errors).toBeUndefined();
    const completion = result.data!.complete;
    expect(completion.modelGroup).toBe("fast");
    expect(completion.deployment).toBe("sim-fast");
    expect(completion.provider).toBe("simulator");
    expect(completion.finishReason).toBe("STOP");
    expect(completion.message.content).toMatch(/\S/);
    expect(completion.usage.completionTokens).toBe(12);
    expect(completion.usage.totalTokens).toBe(completion.usage.promptTokens + 12);
    const expectedPico = BigInt(completion.usage.promptTokens) * INPUT_PICO + 12n * OUTPUT_PICO;
    expect(completion.costUsd).toBeCloseTo(Number(expectedPico) / 1e12, 15);
    expect(completion.attempts).toHaveLength(1);

    await gateway.flush();
    const stored = await gateway.execute(CallDocument, { id: completion.id });
    const call = stored.data!.call!;
    expect(call.status).toBe("SUCCESS");
    expect(call.streamed).toBe(false);
    expect(call.costUsdExact).toBe(`0.${expectedPico.toString().padStart(12, "0")}`);
    expect(call.attempts.map((a) => a.outcome)).toEqual(["SUCCESS"]);
  });

  it("retries on another deployment and records every attempt", async () => {
    const result = await gateway.execute(CompleteDocument, { input: { model: "flaky", messages: user("hi") } });
    expect(result.errors).toBeUndefined();
    const completion = result.data!.complete;
    expect(completion.deployment).toBe("sim-healthy");
    expect(completion.attempts.map((a) => [a.deployment, a.outcome, a.errorClass])).toEqual([
      ["sim-broken", "ERROR", "server"],
      ["sim-healthy", "SUCCESS", null],
    ]);
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: completion.id })).data!.call!;
    expect(call.attemptCount).toBe(2);
    expect(call.attempts.map((a) => a.errorClass)).toEqual(["server", null]);
  });

  it("refuses an unknown model with MODEL_NOT_FOUND and still records the call", async () => {
    const result = await gateway.execute(CompleteDocument, { input: { model: "no-such-model", messages: user("hi") } });
    expect(result.data).toBeNull();
    expect(result.errors![0]!.extensions!.code).toBe("MODEL_NOT_FOUND");
  });

  it("refuses an empty message list with BAD_USER_INPUT", async () => {
    const result = await gateway.execute(CompleteDocument, { input: { model: "fast", messages: [] } });
    expect(result.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(result.errors![0]!.message).toMatch(/messages/);
  });

  it("refuses a 10 MB prompt with a typed error and stays up", async () => {
    const huge = "x".repeat(10 * 1024 * 1024);
    const result = await gateway.execute(CompleteDocument, { input: { model: "fast", messages: user(huge) } });
    expect(result.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(result.errors![0]!.message).toMatch(/context window/);
    const after = await gateway.execute(CompleteDocument, { input: { model: "fast", messages: user("still there?") } });
    expect(after.data!.complete.finishReason).toBe("STOP");
  });

  it("answers a malformed document with GRAPHQL_PARSE_FAILED", async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "mutation { complete(input: {" }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("answers a body that is not JSON with a typed error", async () => {
    const response = await fetch(`${gateway.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe("BAD_REQUEST");
  });

  it("lists model groups with prices and context windows", async () => {
    const result = await gateway.execute(ModelsDocument, {});
    const fast = result.data!.models.find((group) => group.name === "fast")!;
    expect(fast.aliases).toEqual(["gpt-4o-mini"]);
    expect(fast.deployments[0]).toMatchObject({ id: "sim-fast", inputPerMTok: 0.15, outputPerMTok: 0.6, contextWindow: 128000 });
  });

  it("serves health, readiness, metrics and the offline playground", async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", database: "up" });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/switchyard_calls_total/);
    await gateway.flush();
    await gateway.switchyard.rollupMerger.mergeAll();
    const merged = Number(/^switchyard_rollup_increments_merged (\d+)$/m.exec(await (await fetch(`${gateway.url}/metrics`)).text())?.[1]);
    expect(merged).toBeGreaterThan(0);
    const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: "text/html" } });
    const html = await page.text();
    expect(html).toContain("/playground/graphiql.js");
    expect(html).not.toMatch(/https?:\/\/(?!.*localhost)[a-z0-9.-]+\.(com|net|io|org)/i);
    for (const asset of ["react.js", "react-dom.js", "graphiql.js", "graphiql.css", "graphql-ws.js"]) {
      const response = await fetch(`${gateway.url}/playground/${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(1000);
    }
  });
});
