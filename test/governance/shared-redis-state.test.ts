import { sql } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSwitchyard } from "../../src/app/start-switchyard.js";
import { loadConfig } from "../../src/config/index.js";
import { StateStoreError } from "../../src/state/index.js";
import { CompleteDocument, MeDocument, VirtualKeysDocument, type VirtualKeyInput } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.js";
import { deleteKeysUnder, findTestRedis, uniqueKeyPrefix } from "../helpers/test-redis.js";
import { ask, CALL_COST_USD, governanceConfigWithRedis, MASTER_KEY } from "./governance-config.js";
import { queryRows } from "../../src/db/index.js";
import { createTestKey } from "./create-test-key.js";

const redisUrl = await findTestRedis();
const keyPrefix = uniqueKeyPrefix();
const withRedis = (url: string) => governanceConfigWithRedis(url, keyPrefix);

// Skipped only when REDIS_URL is unset and no local Redis answers; with REDIS_URL set (CI), a Redis that is down fails.
describe.skipIf(redisUrl === undefined)("two gateway instances sharing one Redis", () => {
  let first: TestGateway;
  let second: TestGateway;
  let third: TestGateway | undefined;
  let proxy: TcpProxy | undefined;
  beforeAll(async () => {
    first = await startTestGateway(withRedis(redisUrl!), { masterKey: MASTER_KEY });
    second = await startTestGateway(withRedis(redisUrl!), { masterKey: MASTER_KEY, shareDatabaseOf: first });
  });
  afterAll(async () => {
    await third?.close();
    await proxy?.close();
    await second?.close();
    await first?.close();
    await deleteKeysUnder(redisUrl!, [keyPrefix]);
  });

  async function keyKnownToBoth(input: VirtualKeyInput) {
    const { secret, key } = await createTestKey(first, input);
    await vi.waitFor(async () => expect((await second.execute(MeDocument, {}, secret)).errors).toBeUndefined(), { timeout: 15000, interval: 100 });
    return { secret, key };
  }

  it("hold one budget between them: never overshot, and the spend is the persisted costs", async () => {
    const { secret, key } = await keyKnownToBoth({ name: "shared budget", budget: { limitUsd: CALL_COST_USD * 40, period: "DAILY" } });
    // 80 calls per instance, each instance alone would admit 40.
    const results = await Promise.all(
      Array.from({ length: 160 }, (_, i) => ((i % 2 === 0 ? first : second).execute(CompleteDocument, ask("fast", { maxTokens: 20 }), secret)).then((r) => ({ r, i }))),
    );
    const admitted = results.filter(({ r }) => r.errors === undefined);
    const refused = results.filter(({ r }) => r.errors !== undefined);
    expect(refused.every(({ r }) => r.errors![0]!.extensions!.code === "BUDGET_EXCEEDED")).toBe(true);
    expect(admitted.length).toBeGreaterThan(0);
    expect(admitted.length).toBeLessThanOrEqual(40);

    await first.flush();
    await second.flush();
    const [persisted] = await queryRows<{ total: string }>(
      first.switchyard.database.db,
      sql`select coalesce(sum(cost_usd), 0)::numeric(38, 12)::text as total from calls where key_id = ${key.id}`,
    );
    const budget = (await second.execute(VirtualKeysDocument, {})).data!.virtualKeys.find((k) => k.id === key.id)!.budget!;
    expect(budget.reservedUsd).toBe(0);
    expect(budget.spentUsdExact).toBe(persisted!.total);
    expect(budget.spentUsd).toBeCloseTo(admitted.length * CALL_COST_USD, 12);
  });

  it("hold one RPM limit between them", async () => {
    const { secret } = await keyKnownToBoth({ name: "shared rpm", rpm: 10 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? first : second).execute(CompleteDocument, ask("fast"), secret)));
    const codes = results.map((r) => (r.errors === undefined ? "OK" : r.errors[0]!.extensions!.code));
    expect(codes.filter((c) => c === "OK")).toHaveLength(10);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(20);
  });

  it("refuse governed calls with UNAVAILABLE (503 on /v1) while Redis is unreachable, and serve them again after", async () => {
    const { hostname, port } = new URL(redisUrl!);
    proxy = await startTcpProxy(hostname, Number(port || 6379));
    third = await startTestGateway(withRedis(`redis://127.0.0.1:${proxy.port}`), { masterKey: MASTER_KEY, shareDatabaseOf: first });
    const { secret } = await createTestKey(third, { name: "outage", budget: { limitUsd: 1, period: "DAILY" } });
    expect((await third.execute(CompleteDocument, ask("fast"), secret)).errors).toBeUndefined();

    await proxy.cut();
    const graphql = await third.execute(CompleteDocument, ask("fast"), secret);
    expect(graphql.errors![0]!.extensions).toMatchObject({ code: "UNAVAILABLE", retryAfterMs: 1000 });
    const v1 = await fetch(`${third.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "fast", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(v1.status).toBe(503);
    expect(((await v1.json()) as { error: { code: string } }).error.code).toBe("unavailable");
    const ready = await fetch(`${third.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ stateStore: "down", stateStoreKind: "redis" });
    // The master key's calls are governed by no limit and do not need the store.
    expect((await third.execute(CompleteDocument, ask("fast"))).errors).toBeUndefined();

    await proxy.restore();
    await vi.waitFor(async () => expect((await third!.execute(CompleteDocument, ask("fast"), secret)).errors).toBeUndefined(), { timeout: 15000, interval: 100 });
    expect((await fetch(`${third.url}/readyz`)).status).toBe(200);
  });
});

describe("a gateway configured with a Redis that does not answer", () => {
  it("fails to start with a StateStoreError instead of hanging", async () => {
    const config = loadConfig({ text: withRedis("redis://127.0.0.1:1"), env: {} });
    const started = Date.now();
    const error = await startSwitchyard({ config, logger: pino({ level: "silent" }), port: 0, host: "127.0.0.1" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(StateStoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/Cannot reach Redis .*127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeLessThan(6_000);
  });
});
