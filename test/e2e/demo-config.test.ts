import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompleteDocument, CompleteRoutedDocument, CompletionStreamDocument, ModelsDocument, RoutedCallDocument } from "../gql/graphql.js";
import { collect, startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

// The shipped demo config, with its pacing and failures removed so the test runs fast, and round-robin
// routing so that every deployment is reached (the latency strategy rightly keeps sending to the fastest).
const DEMO = readFileSync(new URL("../../config/switchyard.yaml", import.meta.url), "utf8").replace(/firstTokenMs: \d+/g, "firstTokenMs: 0")
  .replace(/tokensPerSecond: \d+/g, "tokensPerSecond: 0")
  .replace(/failures: \{[^}]*\}/g, "failures: {}")
  .replace(/strategy: latency/g, "strategy: round-robin");

let gateway: TestGateway;
beforeAll(async () => {
  // The demo's quality group loads the shipped builtin router, as `npm start` does.
  gateway = await startTestGateway(DEMO);
});
afterAll(async () => {
  await gateway?.close();
});

describe("the shipped demo config", () => {
  it("serves embeddings offline from every embedding deployment, each in its provider's wire format", async () => {
    const served = new Set<string>();
    for (const [model, times] of [["embed", 6], ["embed-local", 1]] as const) {
      for (let i = 0; i < times; i++) {
        const response = await fetch(`${gateway.url}/v1/embeddings`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model, input: [`text ${i}`, "other"], encoding_format: "float" }),
        });
        expect(response.status).toBe(200);
        const body = (await response.json()) as { data: Array<{ embedding: number[] }>; model: string };
        expect(body.data).toHaveLength(2);
        served.add(body.model);
      }
    }
    expect([...served].sort()).toEqual(["amazon.titan-embed-text-v2:0", "gemini-embedding-001", "nomic-embed-text", "text-embedding-3-small"]);
  });

  it("routes across six simulated providers, each in its own wire format, plain and streamed", async () => {
    const listed = await gateway.execute(ModelsDocument, {});
    expect(listed.errors).toBeUndefined();
    const models = listed.data!.models;
    const providers = new Set(models.flatMap((group) => group.deployments.map((d) => d.provider)));
    expect([...providers].sort()).toEqual(["anthropic", "azure", "bedrock", "gemini", "ollama", "openai"]);

    const providerOf = new Map(models.flatMap((group) => group.deployments.map((d) => [d.id, d.provider] as const)));
    const served = new Set<string>();
    const streamedBy = new Set<string>();
    // Two of each in a row, so that round-robin does not lock one deployment to plain calls and the other to streams.
    for (let i = 0; i < 60 && (served.size < 6 || streamedBy.size < 6); i++) {
      for (const model of ["fast", "fast", "smart", "smart", "local", "local"]) {
        const result = await gateway.execute(CompleteDocument, { input: { model, messages: [{ role: "USER", content: `hello ${i}` }] } });
        expect(result.errors).toBeUndefined();
        expect(result.data!.complete.message.content).toMatch(/\S/);
        expect(result.data!.complete.costUsd).toBeGreaterThanOrEqual(0);
        served.add(result.data!.complete.provider);
      }
      for (const model of ["fast", "fast", "smart", "smart", "local", "local"]) {
        const streamed = await collect(gateway.wsClient(), CompletionStreamDocument, { input: { model, messages: [{ role: "USER", content: `stream ${i}` }] } });
        const last = streamed[streamed.length - 1]!;
        expect(last.errors).toBeUndefined();
        expect(last.data!.completionStream.done).toBe(true);
        streamedBy.add(providerOf.get(last.data!.completionStream.deployment!)!);
      }
    }
    expect([...served].sort()).toEqual(["anthropic", "azure", "bedrock", "gemini", "ollama", "openai"]);
    expect([...streamedBy].sort()).toEqual(["anthropic", "azure", "bedrock", "gemini", "ollama", "openai"]);
  }, 60_000);

  it("routes `auto` (quality) and `careful` (cascade) over the simulated tiers, the decision on each call", async () => {
    const auto = await gateway.execute(CompleteRoutedDocument, { input: { model: "auto", messages: [{ role: "USER", content: "What is 2 + 2?" }] } });
    expect(auto.errors).toBeUndefined();
    const routing = auto.data!.complete.routing!;
    expect(routing.policy).toBe("QUALITY");
    expect(["fast", "smart"]).toContain(routing.tier);
    expect(routing.score).toBeGreaterThanOrEqual(0);
    expect(routing.score).toBeLessThanOrEqual(1);
    // strongShare: 0.3 becomes the builtin router's calibrated threshold, strictly inside (0, 1).
    expect(routing.threshold).toBeGreaterThan(0);
    expect(routing.threshold).toBeLessThan(1);
    expect(routing.tier).toBe(routing.score! >= routing.threshold! ? "smart" : "fast");

    const careful = await gateway.execute(CompleteRoutedDocument, { input: { model: "careful", messages: [{ role: "USER", content: "Name a river." }] } });
    expect(careful.errors).toBeUndefined();
    expect(careful.data!.complete.routing).toMatchObject({ policy: "CASCADE" });
    await gateway.flush();
    const row = await gateway.execute(RoutedCallDocument, { id: careful.data!.complete.id });
    expect(row.data!.call!.routing).toMatchObject({ policy: "CASCADE" });
  });
});
