import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CompleteDocument, VirtualKeysDocument } from "../gql/graphql.js";
import { useTestGateway } from "../helpers/use-test-gateway.js";
import { ask, CALL_COST_USD, GOVERNANCE_CONFIG, MASTER_KEY } from "./governance-config.js";
import { queryRows } from "../../src/db/index.js";
import { createTestKey } from "./create-test-key.js";

const gateway = useTestGateway(GOVERNANCE_CONFIG, { masterKey: MASTER_KEY });

// Ten times as many requests at once as the budget admits: every one is in flight before the first is settled, so
// the reservations race for the budget as with any larger number (1,000 here cost 7–9 s of CPU, 250 cost 2.6 s).
const BUDGET_CALLS = 25;
const REQUESTS = BUDGET_CALLS * 10;

describe("a budget under 250 concurrent requests, ten times what it admits", () => {
  it("never overshoots; every refusal is BUDGET_EXCEEDED; the persisted costs add up to the key's spend", async () => {
    const budgetUsd = CALL_COST_USD * BUDGET_CALLS;
    const { secret, key } = await createTestKey(gateway, { name: "load", budget: { limitUsd: budgetUsd, period: "DAILY" } });

    const results = await Promise.all(Array.from({ length: REQUESTS }, () => gateway.execute(CompleteDocument, ask("fast", { maxTokens: 20 }), secret)));
    const admitted = results.filter((r) => r.errors === undefined);
    const refused = results.filter((r) => r.errors !== undefined);
    expect(refused.map((r) => r.errors![0]!.extensions!.code).every((code) => code === "BUDGET_EXCEEDED")).toBe(true);
    expect(refused.every((r) => r.status === 200 || r.status === 402)).toBe(true);
    expect(admitted.length).toBeGreaterThan(BUDGET_CALLS / 2);
    expect(admitted.length).toBeLessThanOrEqual(BUDGET_CALLS);
    expect(admitted.every((r) => r.data!.complete.costUsd === CALL_COST_USD)).toBe(true);

    await gateway.flush();
    const [persisted] = await queryRows<{ total: string; rows: string }>(
      gateway.switchyard.database.db,
      sql`select coalesce(sum(cost_usd), 0)::numeric(38, 12)::text as total, count(*)::text as rows from calls where key_id = ${key.id}`,
    );
    if (!persisted) throw new Error("no row");
    const view = (await gateway.execute(VirtualKeysDocument, {})).data!.virtualKeys.find((k) => k.id === key.id)!;
    const budget = view.budget!;
    expect(budget.reservedUsd).toBe(0);
    expect(budget.spentUsdExact).toBe(persisted.total);
    expect(Number(persisted.rows)).toBe(REQUESTS);
    expect(BigInt(persisted.total.replace(".", ""))).toBeLessThanOrEqual(BigInt(budget.limitUsdExact.replace(".", "")));
    expect(budget.spentUsd).toBeCloseTo(admitted.length * CALL_COST_USD, 12);

    console.log(
      `budget concurrency: requests=${REQUESTS} admitted=${admitted.length} refused=${refused.length} budgetUsd=${budget.limitUsdExact} spentUsd=${budget.spentUsdExact}`,
    );
  });
});
