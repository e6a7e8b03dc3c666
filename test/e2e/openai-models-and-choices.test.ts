import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallDocument, CreateVirtualKeyDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

const MASTER_KEY = "test-master-key-0123456789abcdef";
const CONFIG = `
simulator: { seed: 5 }
models:
  - name: fast
    aliases: [gpt-4o-mini]
    retries: 0
    deployments:
      - id: sim-fast
        provider: openai
        model: gpt-4o-mini
        simulate: { outputTokens: 6 }
  - name: claude
    aliases: [team/claude]
    retries: 0
    deployments:
      - id: sim-claude
        provider: anthropic
        model: claude-3-5-haiku-20241022
        simulate: { outputTokens: 6 }
  - name: gemini
    retries: 0
    deployments:
      - id: sim-gemini
        provider: gemini
        model: gemini-2.0-flash
        simulate: { outputTokens: 6 }
router:
  backoff: { baseMs: 1, maxMs: 5 }
`;

let gateway: TestGateway;
let admin: OpenAI;
beforeAll(async () => {
  gateway = await startTestGateway(CONFIG, { masterKey: MASTER_KEY });
  admin = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: MASTER_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.close();
});

describe("GET /v1/models/{id}", () => {
  it("retrieves a group or an alias (slashes included) in OpenAI's shape", async () => {
    expect(await admin.models.retrieve("fast")).toMatchObject({ id: "fast", object: "model", owned_by: "switchyard" });
    expect((await admin.models.retrieve("gpt-4o-mini")).id).toBe("gpt-4o-mini");
    const raw = await fetch(`${gateway.url}/v1/models/team/claude`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
    expect(raw.status).toBe(200);
    expect(((await raw.json()) as { id: string }).id).toBe("team/claude");
  });

  it("answers an unknown model with 404 model_not_found", async () => {
    const error = await admin.models.retrieve("nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
  });

  it("hides a model the key may not use, as GET /v1/models does", async () => {
    const created = await gateway.execute(CreateVirtualKeyDocument, { input: { name: "fast only", allowedModels: ["fast", "gpt-*"] } });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: created.data!.createVirtualKey.secret, maxRetries: 0 });
    expect((await client.models.retrieve("fast")).id).toBe("fast");
    expect(await client.models.retrieve("claude").catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(["fast", "gpt-4o-mini"]);
  });
});

describe("n > 1", () => {
  it("returns every choice from a provider that serves n", async () => {
    const completion = await admin.chat.completions.create({ model: "fast", n: 3, messages: [{ role: "user", content: "Say hi" }] });
    expect(completion.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    for (const choice of completion.choices) {
      expect(choice.message.content).toMatch(/\S/);
      expect(choice.finish_reason).toBe("stop");
    }
    expect(completion.usage!.completion_tokens).toBe(18);
  });

  it("is refused with a 400 naming n where the provider cannot serve it", async () => {
    const error = await admin.chat.completions.create({ model: "claude", n: 2, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(bad.param).toBe("n");
    expect(bad.type).toBe("invalid_request_error");
    expect(bad.message).toMatch(/more than one choice/);
  });

  it("streams every choice with its index, through the SDK's stream helper", async () => {
    const stream = admin.chat.completions.stream({ model: "fast", n: 3, messages: [{ role: "user", content: "Say hi" }], stream_options: { include_usage: true } });
    const seen = new Set<number>();
    stream.on("chunk", (chunk) => {
      for (const choice of chunk.choices) seen.add(choice.index);
    });
    const completion = await stream.finalChatCompletion();
    expect([...seen].sort()).toEqual([0, 1, 2]);
    expect(completion.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    const texts = completion.choices.map((c) => c.message.content);
    for (const [i, choice] of completion.choices.entries()) {
      expect(choice.message.role).toBe("assistant");
      expect(choice.message.content).toMatch(/\S/);
      // The simulator repeats its answer: every choice got all of its own pieces, none of another's.
      expect(choice.message.content).toBe(texts[0]);
      expect(choice.finish_reason, `choice ${i}`).toBe("stop");
    }
    // Usage once, for the whole call: the same figure the unstreamed call reports.
    expect(completion.usage!.completion_tokens).toBe(18);
  });

  it("records one call for a streamed n > 1, with the tokens of every choice", async () => {
    const raw = admin.chat.completions.create({ model: "fast", n: 2, stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Count the choices" }] });
    const chunks = [];
    for await (const chunk of await raw) chunks.push(chunk);
    const callId = chunks[0]!.id.replace(/^chatcmpl-/, "");
    const finishes = chunks.flatMap((c) => c.choices.filter((choice) => choice.finish_reason !== null).map((choice) => choice.index));
    expect(finishes).toEqual([0, 1]);
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
    await gateway.flush();
    const row = (await gateway.execute(CallDocument, { id: callId })).data!.call!;
    expect(row).toMatchObject({ status: "SUCCESS", streamed: true, completionTokens: 12, attemptCount: 1 });
    expect(Number(row.costUsdExact)).toBeGreaterThan(0);
  });

  it("is refused with stream: true where the provider cannot stream several choices, and out of range", async () => {
    const streamed = await admin.chat.completions.create({ model: "claude", n: 2, stream: true, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(streamed).toBeInstanceOf(OpenAI.BadRequestError);
    expect((streamed as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("n");
    expect((streamed as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/stream more than one choice/);
    const zero = await admin.chat.completions.create({ model: "fast", n: 0, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect((zero as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("n");
  });

  it("asks Gemini for candidates (candidateCount), each a choice; streamed it is refused", async () => {
    const completion = await admin.chat.completions.create({ model: "gemini", n: 2, messages: [{ role: "user", content: "Say hi" }] });
    expect(completion.choices.map((c) => [c.index, c.finish_reason])).toEqual([
      [0, "stop"],
      [1, "stop"],
    ]);
    for (const choice of completion.choices) expect(choice.message.content).toMatch(/\S/);
    expect(completion.usage!.completion_tokens).toBe(12);
    const streamed = await admin.chat.completions.create({ model: "gemini", n: 2, stream: true, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(streamed).toBeInstanceOf(OpenAI.BadRequestError);
    expect((streamed as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/Gemini only with stream: false/);
  });

  it("n = 1 answers one choice from any provider", async () => {
    const completion = await admin.chat.completions.create({ model: "claude", n: 1, messages: [{ role: "user", content: "hi" }] });
    expect(completion.choices).toHaveLength(1);
  });
});

describe("unknown routes under /v1", () => {
  it("answer 404 in OpenAI's error shape", async () => {
    for (const [method, path] of [["POST", "/v1/nothing"], ["GET", "/v1/chat/completions"], ["GET", "/v1"]] as const) {
      const response = await fetch(`${gateway.url}${path}`, { method, headers: { authorization: `Bearer ${MASTER_KEY}`, "content-type": "application/json" }, ...(method === "POST" ? { body: "{}" } : {}) });
      expect(response.status).toBe(404);
      const body = (await response.json()) as { error: Record<string, unknown> };
      expect(body.error).toEqual({ message: `Invalid URL (${method} ${path})`, type: "invalid_request_error", param: null, code: "not_found" });
    }
  });
});
