import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompleteDocument, DeploymentHealthChangedDocument, ModelHealthDocument } from "../gql/graphql.js";
import { collect, startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

const CONFIG = `
models:
  - name: main
    retries: 1
    deployments:
      - id: down
        provider: simulator
        model: gpt-4o-mini
        weight: 1000
        simulate: { failures: { serverError: 1 } }
      - id: up
        provider: simulator
        model: gpt-4o-mini
router:
  cooldown: { failures: 2, windowMs: 60000, durationMs: 60000 }
`;

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
});
