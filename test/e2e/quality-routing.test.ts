import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompleteRoutedDocument, CompletionStreamDocument, RoutedCallDocument, TieredModelsDocument } from "../gql/graphql.js";
import { loadLengthScorer } from "../helpers/length-scorer.js";
import { collect, startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { EASY, HARD, QUALITY_CONFIG } from "./quality-routing-config.js";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(QUALITY_CONFIG, { loadScorer: loadLengthScorer });
});
afterAll(async () => {
  await gateway?.close();
});

const ask = (model: string, content: string, routing?: { threshold: number[] }) => ({
  input: { model, messages: [{ role: "USER" as const, content }], ...(routing ? { routing } : {}) },
});

async function complete(model: string, content: string, routing?: { threshold: number[] }) {
  const result = await gateway.execute(CompleteRoutedDocument, ask(model, content, routing));
  expect(result.errors).toBeUndefined();
  return result.data!.complete;
}

async function storedCall(id: string) {
  await gateway.flush();
  const result = await gateway.execute(RoutedCallDocument, { id });
  expect(result.errors).toBeUndefined();
  return result.data!.call!;
}

async function streamText(model: string, content: string) {
  const results = await collect(gateway.wsClient(), CompletionStreamDocument, ask(model, content));
  expect(results.every((r) => r.errors === undefined)).toBe(true);
  const chunks = results.map((r) => r.data!.completionStream);
  return { callId: chunks[0]!.callId, text: chunks.map((c) => c.delta ?? "").join(""), last: chunks[chunks.length - 1]! };
}

describe("quality routing (classifier)", () => {
  it("sends an easy prompt to the cheap tier and a hard one to the strong tier, and records why", async () => {
    const easy = await complete("auto", EASY);
    expect(easy.modelGroup).toBe("cheap");
    expect(easy.message.content).toBe("Paris.");
    expect(easy.routing).toEqual({ policy: "QUALITY", score: 0.3, threshold: 0.5, tier: "cheap", reason: "score 0.3 < 0.5", escalatedFrom: null });

    const hard = await complete("router-auto", HARD);
    expect(hard.modelGroup).toBe("strong");
    expect(hard.routing).toMatchObject({ policy: "QUALITY", score: 0.8, threshold: 0.5, tier: "strong", reason: "score 0.8 ≥ 0.5" });

    const row = await storedCall(hard.id);
    expect(row).toMatchObject({ requestedModel: "router-auto", modelGroup: "strong", deployment: "sim-strong", status: "SUCCESS" });
    expect(row.routing).toEqual({ policy: "QUALITY", score: 0.8, threshold: 0.5, tier: "strong", reason: "score 0.8 ≥ 0.5", escalatedFrom: null });
  });

  it("takes a per-request threshold (routing.threshold), and refuses one that does not fit the tiers", async () => {
    const raised = await complete("auto", HARD, { threshold: [0.9] });
    expect(raised.routing).toMatchObject({ tier: "cheap", threshold: 0.9, reason: "score 0.8 < 0.9" });
    expect((await storedCall(raised.id)).routing).toMatchObject({ tier: "cheap", threshold: 0.9 });

    const wrongCount = await gateway.execute(CompleteRoutedDocument, ask("auto", HARD, { threshold: [0.2, 0.4] }));
    expect(wrongCount.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "routing.threshold" });
    expect(wrongCount.errors![0]!.message).toContain("2 tiers need 1 threshold");
    const plainGroup = await gateway.execute(CompleteRoutedDocument, ask("cheap", HARD, { threshold: [0.5] }));
    expect(plainGroup.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "routing.threshold" });
  });

  it("turns strongShare into a threshold through the router's calibration", async () => {
    // The length scorer's calibration: 30% strong → threshold 0.7.
    const hard = await complete("auto-share", HARD);
    expect(hard.routing).toMatchObject({ tier: "strong", threshold: 0.7, reason: "score 0.8 ≥ 0.7" });
    const middling = await complete("auto-share", "x".repeat(60));
    expect(middling.routing).toMatchObject({ tier: "cheap", threshold: 0.7 });
  });

  it("picks among three tiers with one threshold per boundary", async () => {
    expect((await complete("three", EASY)).routing).toMatchObject({ tier: "jsonish", threshold: 0.3, reason: "score 0.3 ≥ 0.3 and < 0.6" });
    expect((await complete("three", "short")).routing).toMatchObject({ tier: "cheap", threshold: 0.3 });
    expect((await complete("three", HARD)).routing).toMatchObject({ tier: "strong", threshold: 0.6 });
  });

  it("routes a completionStream the same way and records the decision on the streamed row", async () => {
    const streamed = await streamText("auto", HARD);
    expect(streamed.text).toBe("The capital of France is Paris, on the Seine.");
    const row = await storedCall(streamed.callId);
    expect(row).toMatchObject({ streamed: true, modelGroup: "strong", status: "SUCCESS" });
    expect(row.routing).toMatchObject({ policy: "QUALITY", score: 0.8, tier: "strong" });
  });

  it("lists tiered groups with their policy, tiers and thresholds", async () => {
    const models = (await gateway.execute(TieredModelsDocument, {})).data!.models;
    const byName = new Map(models.map((m) => [m.name, m]));
    expect(byName.get("auto")).toEqual({ name: "auto", routingPolicy: "QUALITY", tiers: ["cheap", "strong"], thresholds: [0.5] });
    expect(byName.get("auto-share")!.thresholds).toEqual([0.7]);
    expect(byName.get("careful")).toMatchObject({ routingPolicy: "CASCADE", tiers: ["jsonish", "strong"], thresholds: null });
    expect(byName.get("cheap")).toMatchObject({ routingPolicy: null, tiers: null });
  });

  it("routes /v1/chat/completions with a routing.threshold in the body", async () => {
    const post = (body: Record<string, unknown>) =>
      fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const response = await post({ model: "auto", messages: [{ role: "user", content: HARD }] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id: string; choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toBe("The capital of France is Paris, on the Seine.");

    const lowered = await post({ model: "auto", messages: [{ role: "user", content: EASY }], routing: { threshold: 0.1 } });
    expect(((await lowered.json()) as typeof body).choices[0]!.message.content).toBe("The capital of France is Paris, on the Seine.");
    const bad = await post({ model: "auto", messages: [{ role: "user", content: EASY }], routing: { threshold: "high" } });
    expect(bad.status).toBe(400);
  });
});
