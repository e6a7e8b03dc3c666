import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CompleteDocument, DeploymentHealthChangedDocument, ModelHealthDocument } from "../gql/graphql.js";
import { collect, startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { deleteKeysUnder, findTestRedis, uniqueKeyPrefix } from "../helpers/test-redis.js";
import { flakyGroupConfig } from "./flaky-group-config.js";

const redisUrl = await findTestRedis();
const keyPrefix = uniqueKeyPrefix();
const CONFIG = (url: string) =>
  flakyGroupConfig(`state:
  redis:
    url: ${url}
    keyPrefix: "${keyPrefix}"
`);

const ask = { input: { model: "main", messages: [{ role: "USER" as const, content: "hi" }] } };

// Skipped only when REDIS_URL is unset and no local Redis answers; with REDIS_URL set (CI), a Redis that is down fails.
describe.skipIf(redisUrl === undefined)("two gateway instances sharing health through Redis", () => {
  let first: TestGateway;
  let second: TestGateway;
  beforeAll(async () => {
    first = await startTestGateway(CONFIG(redisUrl!));
    second = await startTestGateway(CONFIG(redisUrl!), { shareDatabaseOf: first });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await deleteKeysUnder(redisUrl!, [keyPrefix]);
  });

  it("a cooldown reached on one instance reaches the other's subscribers and routing", async () => {
    const client = second.wsClient();
    const pushed = collect(client, DeploymentHealthChangedDocument, { model: "main" }, 1);
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the subscription start

    // Only the first instance calls: "down" fails until it cools down there.
    for (let i = 0; i < 3; i++) expect((await first.execute(CompleteDocument, ask)).data!.complete.deployment).toBe("up");
    const [change] = (await pushed).map((r) => r.data!.deploymentHealthChanged);
    expect(change).toMatchObject({ deployment: "down", status: "COOLING_DOWN", cooldownUntil: expect.any(String) });

    const health = (await second.execute(ModelHealthDocument, { model: "main" })).data!.modelHealth;
    expect(health.find((h) => h.deployment === "down")).toMatchObject({ status: "COOLING_DOWN", attempts: 0 });
    // The second instance never tries "down": its one call goes straight to "up".
    await vi.waitFor(async () => {
      const result = await second.execute(CompleteDocument, ask);
      expect(result.data!.complete.deployment).toBe("up");
    });
    const ready = (await (await fetch(`${second.url}/readyz`)).json()) as Record<string, unknown>;
    expect(ready.health).toBe("shared");
    const after = (await second.execute(ModelHealthDocument, { model: "main" })).data!.modelHealth;
    expect(after.find((h) => h.deployment === "down")!.attempts).toBe(0);
  });
});
