import { describe, expect, it } from "vitest";
import {
  CallDocument,
  CompleteDocument,
  CompletionStreamDocument,
  CreateTeamDocument,
  MeDocument,
  UpdateVirtualKeyDocument,
  VirtualKeysDocument,
  type VirtualKeyInput,
} from "../gql/graphql.js";
import { collect } from "../helpers/start-test-gateway.js";
import { useTestGateway } from "../helpers/use-test-gateway.js";
import { createTestKey } from "./create-test-key.js";
import { ask, CALL_COST_USD, GOVERNANCE_CONFIG, MASTER_KEY } from "./governance-config.js";

const gateway = useTestGateway(GOVERNANCE_CONFIG, { masterKey: MASTER_KEY });

const newKey = (input: VirtualKeyInput) => createTestKey(gateway, input);

const budgetOf = async (secret: string) => (await gateway.execute(MeDocument, {}, secret)).data!.me.key!.budget!;

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("timed out");
}

describe("budgets", () => {
  it("settle a call to its actual cost and release the rest of the reservation", async () => {
    const { secret } = await newKey({ budget: { limitUsd: 1, period: "MONTHLY" } });
    const call = (await gateway.execute(CompleteDocument, ask("fast", { maxTokens: 1000 }), secret)).data!.complete;
    const budget = await budgetOf(secret);
    expect(budget.spentUsd).toBe(call.costUsd);
    expect(budget.reservedUsd).toBe(0);
    expect(budget.period).toBe("MONTHLY");
    expect(budget.remainingUsd).toBeCloseTo(1 - call.costUsd, 12);
    expect(new Date(budget.periodEnd!).getTime()).toBeGreaterThan(Date.now());
  });

  it("refuses a call whose worst case does not fit, before any provider is called", async () => {
    // Worst case of 1000 output tokens at 2 µUSD = 0.002 USD > 0.001 USD.
    const { secret } = await newKey({ budget: { limitUsd: 0.001, period: "DAILY" } });
    const before = gateway.switchyard.simulator!.stats.requests;
    const refused = await gateway.execute(CompleteDocument, ask("fast", { maxTokens: 1000 }), secret);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: "BUDGET_EXCEEDED", budget: "key" });
    expect(gateway.switchyard.simulator!.stats.requests).toBe(before);
    expect((await gateway.execute(CompleteDocument, ask("fast", { maxTokens: 20 }), secret)).errors).toBeUndefined();
  });

  it("refuse on /v1 with 402, and a /v1 stream settles like any other", async () => {
    const { secret } = await newKey({ budget: { limitUsd: 0.0001, period: "DAILY" } });
    const headers = { "content-type": "application/json", authorization: `Bearer ${secret}` };
    const body = (maxTokens: number, stream = false) => JSON.stringify({ model: "fast", max_tokens: maxTokens, stream, messages: [{ role: "user", content: "hi" }] });
    const tooDear = await fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers, body: body(1000) });
    expect(tooDear.status).toBe(402);
    expect(((await tooDear.json()) as { error: { code: string } }).error.code).toBe("budget_exceeded");
    const streamed = await fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers, body: body(20, true) });
    expect(streamed.status).toBe(200);
    expect(await streamed.text()).toContain("[DONE]");
    await waitFor(async () => (await budgetOf(secret)).reservedUsd === 0);
    expect((await budgetOf(secret)).spentUsd).toBeCloseTo(CALL_COST_USD, 12);
  });

  it("settle a stream from its final usage", async () => {
    const { secret } = await newKey({ budget: { limitUsd: 1, period: "LIFETIME" } });
    const chunks = await collect(gateway.wsClient(secret), CompletionStreamDocument, ask("fast", { maxTokens: 50 }));
    const last = chunks[chunks.length - 1]!.data!.completionStream;
    expect(last.done).toBe(true);
    const budget = await budgetOf(secret);
    expect(budget.spentUsd).toBe(last.costUsd);
    expect(budget.reservedUsd).toBe(0);
  });

  it("settle a cancelled stream to what it used, which the call row records too", async () => {
    const { secret } = await newKey({ budget: { limitUsd: 1, period: "LIFETIME" } });
    const chunks = await collect(gateway.wsClient(secret), CompletionStreamDocument, ask("slow", { maxTokens: 400 }), 3);
    const callId = chunks[0]!.data!.completionStream.callId;
    await waitFor(async () => (await budgetOf(secret)).reservedUsd === 0);
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: callId }, secret)).data!.call!;
    expect(call.status).toBe("CANCELLED");
    expect(call.costUsd).toBeGreaterThan(0);
    const budget = await budgetOf(secret);
    expect(budget.spentUsdExact).toBe(call.costUsdExact);
  });

  it("hold a team budget across the team's keys", async () => {
    // Room for one worst case (prompt bound 9 × 1 µUSD + 20 × 2 µUSD = 49 µUSD), not two.
    const team = (await gateway.execute(CreateTeamDocument, { input: { name: "thrifty", budget: { limitUsd: 0.00007, period: "WEEKLY" } } })).data!.createTeam;
    expect(team.budget!.period).toBe("WEEKLY");
    const one = await newKey({ teamId: team.id });
    const two = await newKey({ teamId: team.id });
    expect((await gateway.execute(CompleteDocument, ask("fast", { maxTokens: 20 }), one.secret)).errors).toBeUndefined();
    const refused = await gateway.execute(CompleteDocument, ask("fast", { maxTokens: 20 }), two.secret);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: "BUDGET_EXCEEDED", budget: "team" });
  });

  it("hold a budget per end user", async () => {
    const { secret } = await newKey({ endUserBudget: { limitUsd: 0.00007, period: "DAILY" } });
    expect((await gateway.execute(CompleteDocument, ask("fast", { maxTokens: 20, user: "ann" }), secret)).errors).toBeUndefined();
    const again = await gateway.execute(CompleteDocument, ask("fast", { maxTokens: 20, user: "ann" }), secret);
    expect(again.errors![0]!.extensions).toMatchObject({ code: "BUDGET_EXCEEDED", budget: "user" });
    expect((await gateway.execute(CompleteDocument, ask("fast", { maxTokens: 20, user: "bob" }), secret)).errors).toBeUndefined();
  });

  it("can be raised by an update, which applies at once", async () => {
    const { secret, key } = await newKey({ budget: { limitUsd: 0.00005, period: "DAILY" } });
    expect((await gateway.execute(CompleteDocument, ask("fast", { maxTokens: 20 }), secret)).errors).toBeUndefined();
    expect((await gateway.execute(CompleteDocument, ask("fast", { maxTokens: 20 }), secret)).errors![0]!.extensions!.code).toBe("BUDGET_EXCEEDED");
    const updated = await gateway.execute(UpdateVirtualKeyDocument, { id: key.id, input: { budget: { limitUsd: 1, period: "DAILY" }, rpm: 100 } });
    expect(updated.data!.updateVirtualKey).toMatchObject({ rpm: 100, budget: { limitUsd: 1 } });
    expect((await gateway.execute(CompleteDocument, ask("fast", { maxTokens: 20 }), secret)).errors).toBeUndefined();
    const listed = (await gateway.execute(VirtualKeysDocument, {})).data!.virtualKeys.find((k) => k.id === key.id)!;
    expect(listed.budget!.spentUsd).toBeCloseTo(2 * CALL_COST_USD, 12);
  });
});
