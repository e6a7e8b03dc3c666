import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompleteDocument, MeDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { deleteKeysUnder, findTestRedis, keysUnder, uniqueKeyPrefix } from "../helpers/test-redis.js";
import { ask, CALL_COST_USD, governanceConfigWithRedis, MASTER_KEY } from "./governance-config.js";
import { createTestKey } from "./create-test-key.js";

const redisUrl = await findTestRedis();
const keyPrefix = uniqueKeyPrefix();
const withRedis = (url: string) => governanceConfigWithRedis(url, keyPrefix);

// A Redis without persistence restarts empty (or is flushed): the spend it held must come back from the call log.
describe.skipIf(redisUrl === undefined)("a budget when Redis forgot it", () => {
  let gateway: TestGateway;
  let restarted: TestGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway(withRedis(redisUrl!), { masterKey: MASTER_KEY });
  });
  afterAll(async () => {
    await restarted?.close();
    await gateway?.close();
    await deleteKeysUnder(redisUrl!, [keyPrefix]);
  });

  const call = async (gw: TestGateway, secret: string) => {
    const result = await gw.execute(CompleteDocument, ask("fast", { maxTokens: 20 }), secret);
    return result.errors === undefined ? "OK" : String(result.errors[0]!.extensions!.code);
  };

  it("is re-seeded from the call log on the next request, in this process and after a restart", async () => {
    // The worst case reserved per call (the byte bound of the prompt) is above the actual cost, so a
    // budget of 3 actual calls admits exactly 2 when spent is counted, and every call when it is forgotten.
    const { secret } = await createTestKey(gateway, { name: "lifetime", budget: { limitUsd: CALL_COST_USD * 3, period: "LIFETIME" } });
    const spent: string[] = [];
    for (let i = 0; i < 4; i++) spent.push(await call(gateway, secret));
    const admitted = spent.filter((code) => code === "OK").length;
    expect(admitted).toBeGreaterThan(0);
    expect(spent.at(-1)).toBe("BUDGET_EXCEEDED");
    await gateway.flush();

    // Redis forgets everything under the gateway's prefix.
    await deleteKeysUnder(redisUrl!, [keyPrefix]);
    expect(await keysUnder(redisUrl!, [keyPrefix])).toEqual([]);

    expect(await call(gateway, secret)).toBe("BUDGET_EXCEEDED");
    const me = await gateway.execute(MeDocument, {}, secret);
    expect(me.data!.me.key!.budget!.spentUsd).toBeCloseTo(admitted * CALL_COST_USD, 12);

    // Forgotten again, then a restarted instance: it reads the spend back as well.
    await deleteKeysUnder(redisUrl!, [keyPrefix]);
    restarted = await startTestGateway(withRedis(redisUrl!), { masterKey: MASTER_KEY, shareDatabaseOf: gateway });
    expect(await call(restarted, secret)).toBe("BUDGET_EXCEEDED");
    expect(await call(gateway, secret)).toBe("BUDGET_EXCEEDED");
  });
});
