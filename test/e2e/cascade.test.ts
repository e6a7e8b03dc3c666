import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usdStringToPico } from "../../src/accounting/index.js";
import { CallsDocument, CompleteRoutedDocument, CompletionStreamDocument, CreateVirtualKeyDocument, MeDocument, RoutedCallDocument, RoutedStreamDocument } from "../gql/graphql.js";
import { loadLengthScorer } from "../helpers/length-scorer.js";
import { collect, startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { EASY, HARD, QUALITY_CONFIG } from "./quality-routing-config.js";

const MASTER_KEY = "sk-master-cascade-test";
const STRONG_ANSWER = "The capital of France is Paris, on the Seine.";

let gateway: TestGateway;
let keySecret: string;
beforeAll(async () => {
  gateway = await startTestGateway(QUALITY_CONFIG, { loadScorer: loadLengthScorer, masterKey: MASTER_KEY });
  const created = await gateway.execute(CreateVirtualKeyDocument, { input: { name: "cascade", budget: { limitUsd: 10, period: "MONTHLY" } } });
  expect(created.errors).toBeUndefined();
  keySecret = created.data!.createVirtualKey.secret;
});
afterAll(async () => {
  await gateway?.close();
});

const ask = (model: string, content = EASY) => ({ input: { model, messages: [{ role: "USER" as const, content }] } });

async function complete(model: string, content = EASY, key?: string) {
  const result = await gateway.execute(CompleteRoutedDocument, ask(model, content), key);
  expect(result.errors).toBeUndefined();
  return result.data!.complete;
}

async function storedCall(id: string) {
  await gateway.flush();
  const result = await gateway.execute(RoutedCallDocument, { id });
  expect(result.errors).toBeUndefined();
  return result.data!.call!;
}

const spentPico = async (secret: string) => usdStringToPico((await gateway.execute(MeDocument, {}, secret)).data!.me.key!.budget!.spentUsdExact);

describe("cascades", () => {
  it("keeps the cheap answer when every check passes: one call, on the cheap tier", async () => {
    const call = await complete("careful");
    expect(call.message.content).toBe('{"city": "Paris"}');
    expect(call.routing).toMatchObject({ policy: "CASCADE", tier: "jsonish", reason: "checks passed", escalatedFrom: null });
    expect((await storedCall(call.id)).routing).toMatchObject({ policy: "CASCADE", tier: "jsonish", reason: "checks passed" });
  });

  it("escalates an answer that fails its check: the client gets the strong answer, both calls are recorded, linked and billed", async () => {
    const before = await spentPico(keySecret);
    const call = await complete("short-cascade", EASY, keySecret);
    expect(call.message.content).toBe(STRONG_ANSWER);
    expect(call.modelGroup).toBe("strong");
    const final = await storedCall(call.id);
    expect(final.routing).toMatchObject({ policy: "CASCADE", tier: "strong", reason: "escalated from cheap: check minLength failed: 6 < 20 characters" });
    const cheapId = final.routing!.escalatedFrom!;
    expect(cheapId).toBeTruthy();
    const cheap = await storedCall(cheapId);
    expect(cheap).toMatchObject({ status: "SUCCESS", requestedModel: "short-cascade", modelGroup: "cheap", deployment: "sim-cheap", streamed: false });
    expect(cheap.routing).toMatchObject({ policy: "CASCADE", tier: "cheap", reason: "check minLength failed: 6 < 20 characters", escalatedFrom: null });
    expect(usdStringToPico(cheap.costUsdExact)).toBeGreaterThan(0n);
    // The budget settles both calls: exactly the sum of the two rows.
    expect((await spentPico(keySecret)) - before).toBe(usdStringToPico(cheap.costUsdExact) + usdStringToPico(final.costUsdExact));
  });

  it("streams only the strong answer when a held cheap answer fails; the final row's TTFT includes the wait for the cheap one", async () => {
    const before = await spentPico(keySecret);
    const results = await collect(gateway.wsClient(keySecret), RoutedStreamDocument, ask("short-cascade"));
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    const chunks = results.map((r) => r.data!.completionStream);
    expect(chunks.map((c) => c.delta ?? "").join("")).toBe(STRONG_ANSWER);
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
    const last = chunks[chunks.length - 1]!;
    expect(last.routing).toMatchObject({ policy: "CASCADE", tier: "strong", reason: "escalated from cheap: check minLength failed: 6 < 20 characters" });
    const final = await storedCall(chunks[0]!.callId);
    expect(last.routing!.escalatedFrom).toBe(final.routing!.escalatedFrom);
    expect(final).toMatchObject({ streamed: true, modelGroup: "strong", status: "SUCCESS" });
    const cheap = await storedCall(final.routing!.escalatedFrom!);
    expect(cheap).toMatchObject({ streamed: true, modelGroup: "cheap", status: "SUCCESS" });
    expect(final.ttftMs!).toBeGreaterThanOrEqual(cheap.latencyMs);
    expect((await spentPico(keySecret)) - before).toBe(usdStringToPico(cheap.costUsdExact) + usdStringToPico(final.costUsdExact));
  });

  it("keeps and bills the cheap answer when the tier it escalated to fails, linked from the failed call", async () => {
    const before = await spentPico(keySecret);
    const user = `doomed-${Date.now()}`;
    const failed = await gateway.execute(CompleteRoutedDocument, { input: { ...ask("doomed-cascade").input, user } }, keySecret);
    expect(failed.errors![0]!.extensions).toMatchObject({ code: "ALL_DEPLOYMENTS_FAILED" });
    await gateway.flush();
    const listed = await gateway.execute(CallsDocument, { filter: { user }, first: 10 });
    const rows = await Promise.all(listed.data!.calls.edges.map((edge) => storedCall(edge.node.id)));
    const cheap = rows.find((row) => row.status === "SUCCESS")!;
    const final = rows.find((row) => row.status === "ERROR")!;
    expect(rows).toHaveLength(2);
    expect(cheap.routing).toMatchObject({ tier: "cheap", reason: "check minLength failed: 6 < 20 characters" });
    expect(final.routing).toMatchObject({ tier: "down", escalatedFrom: cheap.id });
    expect((await spentPico(keySecret)) - before).toBe(usdStringToPico(cheap.costUsdExact) + usdStringToPico(final.costUsdExact));
    expect(usdStringToPico(cheap.costUsdExact)).toBeGreaterThan(0n);
  });

  it("streams a held cheap answer that passes as chunks, one call", async () => {
    const results = await collect(gateway.wsClient(), CompletionStreamDocument, ask("careful"));
    const chunks = results.map((r) => r.data!.completionStream);
    expect(chunks.map((c) => c.delta ?? "").join("")).toBe('{"city": "Paris"}');
    expect(chunks.filter((c) => c.delta).length).toBeGreaterThan(1);
    const row = await storedCall(chunks[0]!.callId);
    expect(row.routing).toMatchObject({ tier: "jsonish", reason: "checks passed", escalatedFrom: null });
  });

  it("escalates over /v1/chat/completions, plain and streamed: the client sees only the strong answer", async () => {
    const post = (stream: boolean) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${keySecret}` },
        body: JSON.stringify({ model: "short-cascade", messages: [{ role: "user", content: EASY }], stream }),
      });
    const plain = (await (await post(false)).json()) as { choices: Array<{ message: { content: string } }> };
    expect(plain.choices[0]!.message.content).toBe(STRONG_ANSWER);

    const sse = await (await post(true)).text();
    const deltas = sse
      .split("\n\n")
      .filter((event) => event.startsWith("data: {"))
      .map((event) => (JSON.parse(event.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? "");
    expect(deltas.join("")).toBe(STRONG_ANSWER);
    expect(sse.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("escalates on each kind of check", async () => {
    const reasons: Record<string, string> = {
      "refusal-cascade": "check refusal failed: the answer is a refusal",
      "regex-cascade": "check regex failed: the answer does not match /^\\{/",
      "schema-cascade": "check jsonSchema failed: the answer is not JSON",
    };
    for (const [model, reason] of Object.entries(reasons)) {
      const call = await complete(model);
      expect(call.message.content).toBe(STRONG_ANSWER);
      const cheap = await storedCall(call.routing!.escalatedFrom!);
      expect(cheap.routing!.reason).toBe(reason);
    }
  });

  it("sends a prompt whose score reaches the score check straight to the top tier, without calling the cheap one", async () => {
    const before = gateway.switchyard.simulator!.stats.requests;
    const call = await complete("score-cascade", HARD);
    expect(call.message.content).toBe(STRONG_ANSWER);
    expect(call.routing).toMatchObject({ policy: "CASCADE", score: 0.8, threshold: 0.5, tier: "strong", escalatedFrom: null });
    expect(call.routing!.reason).toBe("check score failed: 0.8 ≥ 0.5, straight to strong");
    expect(gateway.switchyard.simulator!.stats.requests - before).toBe(1);
    const easy = await complete("score-cascade", EASY);
    expect(easy.routing).toMatchObject({ tier: "cheap", score: 0.3, reason: "checks passed" });
  });

  it("reserves a cascade's worst case over every tier it may call", async () => {
    // 30 output tokens and the prompt's 37-byte bound: the strong tier alone costs at most
    // 30 × 15 + 37 × 5 = 635 µUSD, the cheap tier 30 × 0.4 + 37 × 0.1 = 15.7 µUSD more: the budget fits one, not both.
    const created = await gateway.execute(CreateVirtualKeyDocument, { input: { name: "tight", budget: { limitUsd: 0.00064, period: "MONTHLY" } } });
    const secret = created.data!.createVirtualKey.secret;
    const refused = await gateway.execute(CompleteRoutedDocument, { input: { ...ask("short-cascade").input, maxTokens: 30 } }, secret);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: "BUDGET_EXCEEDED", worstCaseCostUsd: 0.0006507 });
    const strongAlone = await gateway.execute(CompleteRoutedDocument, { input: { ...ask("strong").input, maxTokens: 30 } }, secret);
    expect(strongAlone.errors).toBeUndefined();
  });
});
