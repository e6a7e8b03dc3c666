import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { picoToUsdString, usdStringToPico } from "../../src/accounting/index.js";
import { CallTokensDocument, CompleteRoutedDocument, CreateVirtualKeyDocument, RoutingSavingsDocument, UsageByTierDocument } from "../gql/graphql.js";
import { loadLengthScorer } from "../helpers/length-scorer.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { EASY, HARD, QUALITY_CONFIG } from "./quality-routing-config.js";

const MASTER_KEY = "sk-master-savings-test";
// The strong tier's price (QUALITY_CONFIG): 5 and 15 USD per million tokens, in pico-USD per token.
const STRONG_INPUT_PICO = 5_000_000n;
const STRONG_OUTPUT_PICO = 15_000_000n;

let gateway: TestGateway;
let keySecret: string;
const ids: Record<string, string> = {};
const windowFrom = new Date(Date.now() - 3_600_000).toISOString();
const windowTo = new Date(Date.now() + 3_600_000).toISOString();

async function complete(name: string, model: string, content: string, key?: string) {
  const result = await gateway.execute(CompleteRoutedDocument, { input: { model, messages: [{ role: "USER" as const, content }] } }, key);
  expect(result.errors).toBeUndefined();
  ids[name] = result.data!.complete.id;
  return result.data!.complete;
}

async function call(id: string) {
  const result = await gateway.execute(CallTokensDocument, { id });
  expect(result.errors).toBeUndefined();
  return result.data!.call!;
}

/** What a recorded call would have cost at the strong tier's price, worked out here from its tokens. */
const atStrongPrice = (row: { promptTokens: number; completionTokens: number; cachedTokens: number }) =>
  BigInt(row.promptTokens) * STRONG_INPUT_PICO + BigInt(row.completionTokens) * STRONG_OUTPUT_PICO;
const pico = (usd: string) => usdStringToPico(usd);

async function savings(model: string, key?: string, bucket?: "HOUR" | "DAY") {
  const result = await gateway.execute(RoutingSavingsDocument, { filter: { model, from: windowFrom, to: windowTo }, ...(bucket ? { bucket } : {}) }, key);
  expect(result.errors).toBeUndefined();
  return result.data!.routingSavings;
}

beforeAll(async () => {
  gateway = await startTestGateway(QUALITY_CONFIG, { loadScorer: loadLengthScorer, masterKey: MASTER_KEY });
  const created = await gateway.execute(CreateVirtualKeyDocument, { input: { name: "savings" } });
  expect(created.errors).toBeUndefined();
  keySecret = created.data!.createVirtualKey.secret;
  expect((await complete("easy", "auto", EASY)).modelGroup).toBe("cheap");
  expect((await complete("hard", "router-auto", HARD)).modelGroup).toBe("strong");
  expect((await complete("keyEasy", "auto", EASY, keySecret)).modelGroup).toBe("cheap");
  // "Paris." fails minLength 20: a superseded cheap call, then the strong answer linked to it.
  const escalated = await complete("escalated", "short-cascade", EASY);
  expect(escalated.routing?.escalatedFrom).toBeTruthy();
  ids.superseded = escalated.routing!.escalatedFrom!;
  await gateway.flush();
});
afterAll(async () => {
  await gateway?.close();
});

describe("routingSavings", () => {
  it("prices a quality group's cheap answers at the top tier's price and counts the strong share", async () => {
    const [easy, hard, keyEasy] = await Promise.all([call(ids.easy!), call(ids.hard!), call(ids.keyEasy!)]);
    const actual = pico(easy.costUsdExact) + pico(hard.costUsdExact) + pico(keyEasy.costUsdExact);
    const topTier = atStrongPrice(easy) + pico(hard.costUsdExact) + atStrongPrice(keyEasy);
    expect(topTier).toBeGreaterThan(actual);

    const report = await savings("auto");
    expect(report).toMatchObject({ model: "auto", policy: "QUALITY", tiers: ["cheap", "strong"] });
    expect(report.totals).toMatchObject({
      bucketStart: null,
      calls: 3,
      requests: 3,
      strongRequests: 1,
      strongShare: 1 / 3,
      escalations: 0,
      costUsdExact: picoToUsdString(actual),
      topTierCostUsdExact: picoToUsdString(topTier),
      savedUsdExact: picoToUsdString(topTier - actual),
      savedUsd: Number(picoToUsdString(topTier - actual)),
    });
    // Without a bucket the one row is the totals; an alias names the same group.
    expect(report.rows).toEqual([report.totals]);
    expect((await savings("router-auto")).totals).toEqual(report.totals);
  });

  it("buckets the same numbers in time (the rows add up to the totals)", async () => {
    const report = await savings("auto", undefined, "HOUR");
    expect(report.rows.length).toBeGreaterThanOrEqual(1);
    for (const row of report.rows) expect(new Date(row.bucketStart!).getUTCMinutes()).toBe(0);
    const sum = (pick: (row: (typeof report.rows)[number]) => string) => picoToUsdString(report.rows.reduce((total, row) => total + pico(pick(row)), 0n));
    expect(sum((row) => row.costUsdExact)).toBe(report.totals.costUsdExact);
    expect(sum((row) => row.topTierCostUsdExact)).toBe(report.totals.topTierCostUsdExact);
    expect(report.rows.reduce((total, row) => total + row.requests, 0)).toBe(3);
  });

  it("bills a cascade's superseded cheap answer and counts the request once, answered by the top tier", async () => {
    const [superseded, final] = await Promise.all([call(ids.superseded!), call(ids.escalated!)]);
    expect(superseded.modelGroup).toBe("cheap");
    expect(final.routing).toMatchObject({ tier: "strong", escalatedFrom: superseded.id });
    const report = await savings("short-cascade");
    const actual = pico(superseded.costUsdExact) + pico(final.costUsdExact);
    expect(report.totals).toMatchObject({
      calls: 2,
      requests: 1,
      strongRequests: 1,
      strongShare: 1,
      escalations: 1,
      costUsdExact: picoToUsdString(actual),
      // On the top tier alone the request is the strong answer only: the cheap attempt is pure overhead.
      topTierCostUsdExact: final.costUsdExact,
      savedUsdExact: picoToUsdString(-pico(superseded.costUsdExact)),
    });
  });

  it("shows a virtual key only its own calls", async () => {
    const keyEasy = await call(ids.keyEasy!);
    const report = await savings("auto", keySecret);
    expect(report.totals).toMatchObject({
      calls: 1,
      requests: 1,
      strongRequests: 0,
      strongShare: 0,
      costUsdExact: keyEasy.costUsdExact,
      topTierCostUsdExact: picoToUsdString(atStrongPrice(keyEasy)),
    });
  });

  it("answers zeros for an empty window, and refuses a plain group and a backwards window", async () => {
    const empty = await gateway.execute(RoutingSavingsDocument, { filter: { model: "auto", from: "2020-01-01T00:00:00Z", to: "2020-01-02T00:00:00Z" }, bucket: "DAY" });
    expect(empty.data!.routingSavings.rows).toEqual([]);
    expect(empty.data!.routingSavings.totals).toMatchObject({ calls: 0, requests: 0, strongShare: null, costUsdExact: "0.000000000000" });
    const plain = await gateway.execute(RoutingSavingsDocument, { filter: { model: "cheap" } });
    expect(plain.errors![0]!.extensions).toMatchObject({ code: "MODEL_NOT_FOUND" });
    const backwards = await gateway.execute(RoutingSavingsDocument, { filter: { model: "auto", from: windowTo, to: windowFrom } });
    expect(backwards.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
  });
});

describe("usage by tier", () => {
  it("groups a quality group's calls (asked by any of its names) by the tier that served them", async () => {
    const [easy, hard, keyEasy] = await Promise.all([call(ids.easy!), call(ids.hard!), call(ids.keyEasy!)]);
    const result = await gateway.execute(UsageByTierDocument, { model: "router-auto" });
    expect(result.errors).toBeUndefined();
    const usage = result.data!.usage;
    expect(usage.rows).toEqual([
      { key: ["cheap"], requests: 2, costUsdExact: picoToUsdString(pico(easy.costUsdExact) + pico(keyEasy.costUsdExact)) },
      { key: ["strong"], requests: 1, costUsdExact: hard.costUsdExact },
    ]);
    expect(usage.totals.requests).toBe(3);
    const scoped = await gateway.execute(UsageByTierDocument, { model: "auto" }, keySecret);
    expect(scoped.data!.usage.rows).toEqual([{ key: ["cheap"], requests: 1, costUsdExact: keyEasy.costUsdExact }]);
  });
});
