import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallDocument, CreateVirtualKeyDocument, EmbedDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { useTestGateway } from "../helpers/use-test-gateway.js";

const MASTER_KEY = "test-master-key-0123456789abcdef";
// One group per adapter, each talking its provider's embedding wire format to the simulator.
const CONFIG = `
simulator: { seed: 17 }
models:
  - name: embed
    aliases: [text-embedding-3-small]
    retries: 1
    fallbacks: [embed-ollama]
    deployments:
      - id: openai-embed
        provider: openai
        model: text-embedding-3-small
        simulate: {}
  - name: embed-azure
    deployments: [{ id: azure-embed, provider: azure, model: text-embedding-3-small, simulate: {} }]
  - name: embed-gemini
    deployments: [{ id: gemini-embed, provider: gemini, model: gemini-embedding-001, simulate: {} }]
  - name: embed-bedrock
    deployments: [{ id: titan-embed, provider: bedrock, model: "amazon.titan-embed-text-v2:0", region: us-east-1, accessKeyId: AKIDEXAMPLE, secretAccessKey: secret, simulate: {} }]
  - name: embed-cohere
    deployments: [{ id: cohere-embed, provider: bedrock, model: "cohere.embed-english-v3", region: us-east-1, accessKeyId: AKIDEXAMPLE, secretAccessKey: secret, pricing: { inputPerMTok: 0.1, outputPerMTok: 0 }, simulate: {} }]
  - name: embed-ollama
    deployments: [{ id: ollama-embed, provider: ollama, model: nomic-embed-text, pricing: { inputPerMTok: 0, outputPerMTok: 0 }, simulate: {} }]
  - name: embed-compatible
    deployments: [{ id: compat-embed, provider: openai-compatible, preset: vllm, model: bge-small, mode: embedding, pricing: { inputPerMTok: 0.01, outputPerMTok: 0 }, simulate: {} }]
  - name: chat-only
    deployments: [{ id: claude, provider: anthropic, model: claude-3-5-haiku-20241022, simulate: {} }]
router:
  backoff: { baseMs: 1, maxMs: 5 }
`;

let gateway: TestGateway;
let client: OpenAI;
beforeAll(async () => {
  gateway = await startTestGateway(CONFIG, { masterKey: MASTER_KEY });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: MASTER_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.close();
});

const norm = (v: number[]) => Math.hypot(...v);
const callOf = async (id: string) => {
  await gateway.flush();
  return (await gateway.execute(CallDocument, { id })).data!.call!;
};
const callIdOf = async () => {
  await gateway.flush();
  const rows = await gateway.switchyard.database.db.execute<{ id: string }>("select id from calls where kind = 'EMBEDDING' order by created_at desc limit 1" as never);
  return (rows as unknown as { rows: Array<{ id: string }> }).rows[0]!.id;
};

describe("POST /v1/embeddings with the official openai SDK", () => {
  it("embeds a string and an array, as floats", async () => {
    const one = await client.embeddings.create({ model: "embed", input: "hello world", encoding_format: "float" });
    expect(one.object).toBe("list");
    expect(one.data).toHaveLength(1);
    expect(one.data[0]!.embedding).toHaveLength(16);
    expect(norm(one.data[0]!.embedding)).toBeCloseTo(1, 5);
    expect(one.usage.prompt_tokens).toBe(3);
    const many = await client.embeddings.create({ model: "text-embedding-3-small", input: ["hello world", "another text", "hello world"], encoding_format: "float" });
    expect(many.data.map((d) => d.index)).toEqual([0, 1, 2]);
    // Equal texts embed equally; the first equals the single call's.
    expect(many.data[2]!.embedding).toEqual(many.data[0]!.embedding);
    expect(many.data[0]!.embedding).toEqual(one.data[0]!.embedding);
    expect(many.data[1]!.embedding).not.toEqual(many.data[0]!.embedding);
  });

  it("answers base64 (the SDK's default) that decodes to the same float32 vectors", async () => {
    const floats = await client.embeddings.create({ model: "embed", input: ["a b c", "d e f"], encoding_format: "float", dimensions: 8 });
    // Without encoding_format the SDK asks for base64 and decodes it itself.
    const decoded = await client.embeddings.create({ model: "embed", input: ["a b c", "d e f"], dimensions: 8 });
    const raw = await client.embeddings.create({ model: "embed", input: "a b c", encoding_format: "base64", dimensions: 8 });
    expect(typeof raw.data[0]!.embedding).toBe("string");
    for (let i = 0; i < 2; i++) {
      expect(decoded.data[i]!.embedding).toHaveLength(8);
      decoded.data[i]!.embedding.forEach((value, j) => expect(value).toBeCloseTo(floats.data[i]!.embedding[j]!, 6));
    }
  });

  it("records the call as kind EMBEDDING, priced by its input tokens", async () => {
    await client.embeddings.create({ model: "embed", input: ["price me please"], encoding_format: "float" });
    const call = await callOf(await callIdOf());
    expect(call).toMatchObject({ kind: "EMBEDDING", status: "SUCCESS", deployment: "openai-embed", promptTokens: 4, completionTokens: 0, unpriced: false });
    // text-embedding-3-small: $0.02 per million tokens.
    expect(call.costUsdExact).toBe("0.000000080000");
  });

  it("serves every adapter's embedding wire format", async () => {
    for (const model of ["embed-azure", "embed-gemini", "embed-bedrock", "embed-cohere", "embed-ollama", "embed-compatible"]) {
      const result = await client.embeddings.create({ model, input: ["first text", "second"], encoding_format: "float" });
      expect(result.data, model).toHaveLength(2);
      for (const item of result.data) expect(norm(item.embedding), model).toBeCloseTo(1, 5);
      expect(result.usage.prompt_tokens, model).toBeGreaterThan(0);
    }
  });

  it("refuses clearly: a group that cannot embed, token arrays, an unknown model", async () => {
    const chat = await client.embeddings.create({ model: "chat-only", input: "x" }).catch((e: unknown) => e);
    expect(chat).toBeInstanceOf(OpenAI.BadRequestError);
    expect((chat as Error).message).toMatch(/no deployment that serves embeddings/);
    const tokens = await client.embeddings.create({ model: "embed", input: [1, 2, 3] }).catch((e: unknown) => e);
    expect((tokens as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("input");
    expect(await client.embeddings.create({ model: "nope", input: "x" }).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    // And the other way round: an embedding group (catalog or config `mode`) takes no chat.
    for (const model of ["embed-gemini", "embed-compatible"]) {
      const chat = await client.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
      expect(chat, model).toBeInstanceOf(OpenAI.BadRequestError);
      expect((chat as Error).message).toMatch(/serves embeddings only/);
    }
    const empty = await client.embeddings.create({ model: "embed", input: [] }).catch((e: unknown) => e);
    expect((empty as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("input");
  });

  it("applies a key's budget and rate limits", async () => {
    const tiny = await gateway.execute(CreateVirtualKeyDocument, { input: { name: "tiny budget", budget: { limitUsd: 0.000000001, period: "DAILY" } } });
    const poor = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: tiny.data!.createVirtualKey.secret, maxRetries: 0 });
    const refused = await poor.embeddings.create({ model: "embed", input: "a rather long text that costs more than the budget allows" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(402);

    const limited = await gateway.execute(CreateVirtualKeyDocument, { input: { name: "one a minute", rpm: 1 } });
    const slow = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: limited.data!.createVirtualKey.secret, maxRetries: 0 });
    await slow.embeddings.create({ model: "embed", input: "first" });
    expect(await slow.embeddings.create({ model: "embed", input: "second" }).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.RateLimitError);
  });
});

describe("GraphQL embed", () => {
  it("embeds and records like /v1", async () => {
    const result = await gateway.execute(EmbedDocument, { input: { model: "embed-gemini", input: ["one", "two"], dimensions: 4 } });
    expect(result.errors).toBeUndefined();
    const embed = result.data!.embed;
    expect(embed).toMatchObject({ modelGroup: "embed-gemini", deployment: "gemini-embed", provider: "gemini" });
    expect(embed.vectors.map((v) => v.length)).toEqual([4, 4]);
    const call = await callOf(embed.callId);
    expect(call).toMatchObject({ kind: "EMBEDDING", status: "SUCCESS" });
    const bad = await gateway.execute(EmbedDocument, { input: { model: "embed", input: [] } });
    expect(bad.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
  });
});

// Context windows small enough to overflow with a short input; the short groups fall back to `embed-long` for length.
const WINDOWS_CONFIG = `
models:
  - name: embed-short
    deployments: [{ id: short-embed, provider: openai, model: text-embedding-3-small, contextWindow: 64, simulate: {} }]
  - name: embed-long
    deployments: [{ id: long-embed, provider: ollama, model: nomic-embed-text, contextWindow: 2000, pricing: { inputPerMTok: 0, outputPerMTok: 0 }, simulate: {} }]
  - name: chat-short
    deployments: [{ id: short-chat, provider: openai, model: gpt-4o-mini, contextWindow: 64, simulate: {} }]
router:
  backoff: { baseMs: 1, maxMs: 5 }
  fallbacks: { contextWindow: [embed-long] }
`;

describe("an embedding input and the context windows", () => {
  const windows = useTestGateway(WINDOWS_CONFIG, { masterKey: MASTER_KEY });
  const sdk = () => new OpenAI({ baseURL: `${windows.url}/v1`, apiKey: MASTER_KEY, maxRetries: 0 });
  // About 1,000 tokens by any count: too long for the 64-token windows, short enough for embed-long's 2,000.
  const medium = Array.from({ length: 1000 }, (_, i) => `w${i % 10}`).join(" ");
  const huge = `${medium} ${medium} ${medium}`;

  it("refuses an input longer than every reachable window, as chat refuses such a prompt", async () => {
    const chat = (await sdk().chat.completions.create({ model: "chat-short", messages: [{ role: "user", content: huge }] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    const embed = (await sdk().embeddings.create({ model: "embed-short", input: [huge] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(chat).toBeInstanceOf(OpenAI.BadRequestError);
    expect(chat.message).toMatch(/fits no deployment of "chat-short" or its fallbacks/);
    expect(embed).toBeInstanceOf(OpenAI.BadRequestError);
    expect({ code: embed.code, type: embed.type }).toEqual({ code: chat.code, type: chat.type });
    expect(embed.message).toMatch(/fits no deployment of "embed-short" or its fallbacks \(largest context window: 2000 tokens\)/);
  });

  it("sends an input too long for its group to the router.fallbacks.contextWindow group, without trying the short one", async () => {
    const result = await sdk().embeddings.create({ model: "embed-short", input: [medium], encoding_format: "float" });
    expect(result.data).toHaveLength(1);
    await windows.flush();
    const rows = await windows.switchyard.database.db.execute<{ id: string }>("select id from calls where kind = 'EMBEDDING' order by created_at desc limit 1" as never);
    const id = (rows as unknown as { rows: Array<{ id: string }> }).rows[0]!.id;
    const call = (await windows.execute(CallDocument, { id })).data!.call!;
    expect(call).toMatchObject({ status: "SUCCESS", deployment: "long-embed", attemptCount: 1 });
    expect(call.attempts.map((a) => a.deployment)).toEqual(["long-embed"]);
  });
});
