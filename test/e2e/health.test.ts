import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompleteDocument, DeploymentHealthChangedDocument, ModelHealthDocument, ModelHealthRecentDocument } from "../gql/graphql.js";
import { collect, startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { flakyGroupConfig } from "./flaky-group-config.js";

const CONFIG = flakyGroupConfig();

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(CONFIG);
});
afterAll(async () => {
  await gateway?.close();
});

const ask = { input: { model: "main", messages: [{ role: "USER" as const, content: "hi" }] } };

describe("health", () => {
  it("shows failover and cooldown live, and pushes the transitions", async () => {
    const before = await gateway.execute(ModelHealthDocument, { model: "main" });
    expect(before.data!.modelHealth.map((h) => [h.deployment, h.status])).toEqual([["down", "UNKNOWN"], ["up", "UNKNOWN"]]);

    const client = gateway.wsClient();
    const transitions = collect(client, DeploymentHealthChangedDocument, { model: "main" }, 3);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the subscription start

    for (let i = 0; i < 4; i++) {
      const result = await gateway.execute(CompleteDocument, ask);
      expect(result.data!.complete.deployment).toBe("up");
    }
    const health = (await gateway.execute(ModelHealthDocument, { model: "main" })).data!.modelHealth;
    const down = health.find((h) => h.deployment === "down")!;
    expect(down.status).toBe("COOLING_DOWN");
    expect(down.cooldownUntil).not.toBeNull();
    expect(down.lastError).toMatch(/server/i);
    expect(down.errorRate).toBe(1);
    expect(health.find((h) => h.deployment === "up")!.status).toBe("HEALTHY");

    const pushed = (await transitions).map((r) => r.data!.deploymentHealthChanged);
    expect(pushed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ deployment: "down", status: "DEGRADED" }),
        expect.objectContaining({ deployment: "down", status: "COOLING_DOWN" }),
        expect.objectContaining({ deployment: "up", status: "HEALTHY" }),
      ]),
    );
  });

  it("adds every instance's stored outcomes: a new instance without live samples reads its status from them", async () => {
    // The first test's traffic: every call tried "down" first until it cooled down, then "up".
    await gateway.flush();
    const expected = {
      down: { attempts: 2, succeeded: 0, failed: 2, errorRate: 1, errorKinds: [{ kind: "server", count: 2 }], latencyP50Ms: null },
      up: { attempts: 4, succeeded: 4, failed: 0, errorRate: 0, errorKinds: [] },
    };
    const recentOf = async (target: TestGateway) => {
      const result = await target.execute(ModelHealthRecentDocument, { model: "main" });
      expect(result.errors).toBeUndefined();
      return new Map(result.data!.modelHealth.map((h) => [h.deployment, h]));
    };
    const here = await recentOf(gateway);
    expect(here.get("down")!.recent).toMatchObject({ windowMinutes: 5, ...expected.down });
    expect(here.get("up")!.recent).toMatchObject({ windowMinutes: 5, ...expected.up });
    expect(here.get("up")!.recent.latencyP50Ms).toBeGreaterThan(0);
    expect(here.get("down")!.status).toBe("COOLING_DOWN"); // live state wins while there is one

    const second = await startTestGateway(CONFIG, { shareDatabaseOf: gateway });
    try {
      const there = await recentOf(second);
      expect(there.get("down")).toMatchObject({ status: "DEGRADED", attempts: 0, recent: expected.down });
      expect(there.get("up")).toMatchObject({ status: "HEALTHY", attempts: 0, recent: expected.up });
      // Folding the increments into the rollups changes nothing.
      await gateway.switchyard.rollupMerger.mergeAll();
      const merged = await recentOf(second);
      expect(merged.get("down")!.recent).toEqual(there.get("down")!.recent);
      expect(merged.get("up")!.recent).toEqual(there.get("up")!.recent);

      const bad = await second.execute(ModelHealthRecentDocument, { model: "main", windowMinutes: 0 });
      expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    } finally {
      await second.close();
    }
  });
});
