import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pastCall } from "../dashboard/past-call.js";
import { CallsDocument, CompleteDocument, UsageDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

const CONFIG = `
database: { callRetentionDays: 1 }
models:
  - name: fast
    deployments:
      - { id: sim-fast, provider: simulator, model: gpt-4o-mini }
`;

describe("call retention (database.callRetentionDays)", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(CONFIG);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it("lists only the retained days of calls while usage still counts the older ones", async () => {
    const fresh = await gateway.execute(CompleteDocument, { input: { model: "fast", messages: [{ role: "USER", content: "hi" }] } });
    expect(fresh.errors).toBeUndefined();
    const old = pastCall({ minutesAgo: 3 * 24 * 60, modelGroup: "fast", deployment: "sim-fast", costPico: 5_000_000n });
    gateway.switchyard.callLog.record(old);
    await gateway.flush();

    const listed = (await gateway.execute(CallsDocument, { first: 50 })).data!.calls;
    expect(listed.totalCount).toBe(1);
    expect(listed.edges.map((edge) => edge.node.id)).toEqual([fresh.data!.complete.id]);

    const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const usage = (await gateway.execute(UsageDocument, { filter: { from }, groupBy: [] })).data!.usage;
    expect(usage.totals.requests).toBe(2);
  });
});
