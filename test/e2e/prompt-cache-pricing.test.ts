import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeCostPico, loadBundledCatalog, picoToUsdString } from "../../src/accounting/index.js";
import { CallDocument, UsageDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

/** One deployment per wire format that reports cache tokens; each simulated deployment has its own prompt cache. */
const CONFIG = `
simulator: { seed: 3 }
models:
  - name: claude
    deployments:
      - { id: sim-anthropic, provider: anthropic, model: claude-3-5-haiku-20241022, simulate: { outputTokens: 5 } }
  - name: bedrock-claude
    deployments:
      - { id: sim-bedrock, provider: bedrock, model: anthropic.claude-3-5-haiku-20241022-v1:0, simulate: { outputTokens: 5 } }
  - name: mini
    deployments:
      - { id: sim-openai, provider: openai, model: gpt-4o-mini, simulate: { outputTokens: 5 } }
  - name: gemini
    deployments:
      - { id: sim-gemini, provider: gemini, model: gemini-2.0-flash, simulate: { outputTokens: 5 } }
router:
  backoff: { baseMs: 1, maxMs: 5 }
`;

const MASTER = "sk-master-cache";
// About 2,000 tokens by the simulator's estimate: long enough to be cached (1,024 and up).
const LONG_SYSTEM = "You answer questions about the attached handbook. ".repeat(160);
const catalog = loadBundledCatalog();
let gateway: TestGateway;

const callIdOf = (id: string) => id.replace(/^(?:msg_|chatcmpl-)?/, "").replace(/^(\w{8})(\w{4})(\w{4})(\w{4})(\w{12})$/, "$1-$2-$3-$4-$5");

async function callRow(id: string) {
  await gateway.flush();
  return (await gateway.execute(CallDocument, { id: callIdOf(id) })).data!.call!;
}

beforeAll(async () => {
  gateway = await startTestGateway(CONFIG, { masterKey: MASTER });
});
afterAll(async () => {
  await gateway?.close();
});

describe("prompt caching, priced right", () => {
  it.each([
    ["claude", "claude-3-5-haiku-20241022"],
    ["bedrock-claude", "anthropic.claude-3-5-haiku-20241022-v1:0"],
  ])("through /v1/messages to %s: the first long prompt writes the cache, the repeat reads it, each priced at its own rate", async (model, providerModel) => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: MASTER, maxRetries: 0 });
    const ask = (question: string) =>
      client.messages.create({
        model,
        max_tokens: 50,
        system: [{ type: "text", text: LONG_SYSTEM, cache_control: { type: "ephemeral" } }],
        messages: [{ role: "user", content: question }],
      });
    const first = await ask("What is in chapter one?");
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1024);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    const second = await ask("And in chapter two?");
    expect(second.usage.cache_read_input_tokens).toBeGreaterThan(1024);
    expect(second.usage.input_tokens).toBeLessThan(50);

    const price = catalog[providerModel]!;
    expect(price.cacheWritePico).toBeDefined();
    for (const message of [first, second]) {
      const row = await callRow(message.id);
      const usage = {
        inputTokens: message.usage.input_tokens + (message.usage.cache_creation_input_tokens ?? 0) + (message.usage.cache_read_input_tokens ?? 0),
        cachedInputTokens: message.usage.cache_read_input_tokens ?? 0,
        cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
        outputTokens: message.usage.output_tokens,
        reasoningTokens: 0,
      };
      expect(row).toMatchObject({ promptTokens: usage.inputTokens, cachedTokens: usage.cachedInputTokens, cacheWriteTokens: usage.cacheWriteTokens });
      expect(row.costUsdExact).toBe(picoToUsdString(computeCostPico(usage, price)));
    }
    // A cache write costs more than plain input, a cache read far less.
    expect(Number((await callRow(first.id)).costUsdExact)).toBeGreaterThan(Number((await callRow(second.id)).costUsdExact));

    // The usage report (from the rollups, merged or pending) counts reads and writes apart, like the rows.
    const rows = await Promise.all([first, second].map((message) => callRow(message.id)));
    const report = (await gateway.execute(UsageDocument, { filter: { model }, groupBy: ["MODEL"] })).data!.usage;
    expect(report.totals).toMatchObject({
      requests: 2,
      cachedTokens: rows[0]!.cachedTokens + rows[1]!.cachedTokens,
      cacheWriteTokens: rows[0]!.cacheWriteTokens + rows[1]!.cacheWriteTokens,
    });
    expect(report.totals.cacheWriteTokens).toBeGreaterThan(1024);
  });

  it("passes cache_control through to Anthropic on system blocks, content blocks and tools", async () => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: MASTER, maxRetries: 0 });
    await client.messages.create({
      model: "claude",
      max_tokens: 50,
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral", ttl: "1h" } }],
      tools: [{ name: "lookup", input_schema: { type: "object", properties: {} }, cache_control: { type: "ephemeral" } }],
      tool_choice: { type: "none" },
      messages: [{ role: "user", content: [{ type: "text", text: "Long document here", cache_control: { type: "ephemeral" } }, { type: "text", text: "Question?" }] }],
    });
    const sent = gateway.switchyard.simulator!.requests.filter((r) => r.profile === "sim-anthropic").at(-1)!.body as Record<string, unknown>;
    expect(sent.system).toEqual([{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral", ttl: "1h" } }]);
    expect((sent.tools as Array<Record<string, unknown>>)[0]!.cache_control).toEqual({ type: "ephemeral" });
    expect(sent.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Long document here", cache_control: { type: "ephemeral" } }, { type: "text", text: "Question?" }] },
    ]);
  });

  it.each([
    ["mini", "gpt-4o-mini"],
    ["gemini", "gemini-2.0-flash"],
  ])("through /v1/chat/completions to %s: a repeated long prompt reports cached_tokens, priced at the cache-read rate", async (model, providerModel) => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: MASTER, maxRetries: 0 });
    const ask = (question: string) => client.chat.completions.create({ model, messages: [{ role: "system", content: LONG_SYSTEM }, { role: "user", content: question }] });
    const first = await ask("One?");
    expect(first.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    const second = await ask("Two?");
    const cached = second.usage!.prompt_tokens_details!.cached_tokens!;
    expect(cached).toBeGreaterThan(1024);
    const row = await callRow(second.id);
    expect(row).toMatchObject({ cachedTokens: cached, cacheWriteTokens: 0 });
    const usage = { inputTokens: second.usage!.prompt_tokens, cachedInputTokens: cached, cacheWriteTokens: 0, outputTokens: second.usage!.completion_tokens, reasoningTokens: 0 };
    expect(row.costUsdExact).toBe(picoToUsdString(computeCostPico(usage, catalog[providerModel]!)));
  });
});
