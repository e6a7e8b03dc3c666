import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallDocument, CreateVirtualKeyDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { E2E_CONFIG } from "./gateway-config.js";

/** The e2e groups, plus groups behind other providers' wire formats: the door speaks Anthropic whatever answers. */
const CONFIG = `${E2E_CONFIG.replace(/\nrouter:[\s\S]*$/, "")}
  - name: claude
    deployments:
      - id: sim-anthropic
        provider: anthropic
        model: claude-3-5-haiku-20241022
        simulate: { outputTokens: 10 }
  - name: gemini
    deployments:
      - id: sim-gemini
        provider: gemini
        model: gemini-2.0-flash
        simulate: { outputTokens: 10 }
router:
  backoff: { baseMs: 1, maxMs: 5 }
`;

const MASTER = "sk-master-messages";
let gateway: TestGateway;
let client: Anthropic;

const callIdOf = (messageId: string) => messageId.replace(/^msg_(\w{8})(\w{4})(\w{4})(\w{4})(\w{12})$/, "$1-$2-$3-$4-$5");
const tools: Anthropic.Tool[] = [
  { name: "get_weather", description: "Weather now", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
];

beforeAll(async () => {
  gateway = await startTestGateway(CONFIG, { masterKey: MASTER });
  client = new Anthropic({ baseURL: gateway.url, apiKey: MASTER, maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.close();
});

describe("the official Anthropic SDK against /v1/messages", () => {
  it.each(["fast", "claude", "gemini"])("answers through group %s, and the call is recorded and priced", async (model) => {
    const message = await client.messages.create({ model, max_tokens: 100, messages: [{ role: "user", content: "Say hi" }], metadata: { user_id: "user-7" } });
    expect(message.type).toBe("message");
    expect(message.role).toBe("assistant");
    expect(message.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.content[0]).toMatchObject({ type: "text" });
    expect((message.content[0] as Anthropic.TextBlock).text).toMatch(/\S/);
    expect(message.usage.output_tokens).toBe(model === "fast" ? 12 : 10);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: callIdOf(message.id) })).data!.call!;
    expect(call).toMatchObject({ status: "SUCCESS", streamed: false, completionTokens: message.usage.output_tokens });
    expect(call.costUsd).toBeGreaterThan(0);
  });

  it.each(["fast", "claude"])("streams Anthropic's events through group %s", async (model) => {
    const stream = client.messages.stream({ model, max_tokens: 100, messages: [{ role: "user", content: "Stream please" }] });
    const types: string[] = [];
    let text = "";
    stream.on("text", (delta) => (text += delta));
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalMessage();
    expect(types[0]).toBe("message_start");
    expect(types.slice(1, 2)).toEqual(["content_block_start"]);
    expect(types.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    expect(final.content).toEqual([{ type: "text", text }]);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBe(model === "fast" ? 12 : 10);
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: callIdOf(final.id) })).data!.call!;
    expect(call).toMatchObject({ status: "SUCCESS", streamed: true });
  });

  it("sends a ping after message_start, as Anthropic does", async () => {
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": MASTER, "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "fast", max_tokens: 50, stream: true, messages: [{ role: "user", content: "x" }] }),
    });
    const events = [...(await response.text()).matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(events.slice(0, 3)).toEqual(["message_start", "ping", "content_block_start"]);
  });

  it("calls tools both ways, streamed and not", async () => {
    const question: Anthropic.MessageParam = { role: "user", content: "Weather in Oslo?" };
    const first = await client.messages.create({ model: "fast", max_tokens: 200, tools, messages: [question] });
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((block) => block.type === "tool_use");
    expect(use).toMatchObject({ type: "tool_use", name: "get_weather" });
    if (use?.type !== "tool_use") throw new Error("no tool_use");
    expect(typeof use.input).toBe("object");

    const streamed = client.messages.stream({ model: "fast", max_tokens: 200, tools, messages: [question] });
    let json = "";
    streamed.on("inputJson", (delta) => (json += delta));
    const streamedFinal = await streamed.finalMessage();
    const streamedUse = streamedFinal.content.find((block) => block.type === "tool_use");
    if (streamedUse?.type !== "tool_use") throw new Error("no streamed tool_use");
    expect(streamedUse.input).toEqual(JSON.parse(json));
    expect(streamedFinal.stop_reason).toBe("tool_use");

    const second = await client.messages.create({
      model: "claude",
      max_tokens: 200,
      tools,
      messages: [
        question,
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: [{ type: "text", text: '{"temp_c": 4}' }] }] },
      ],
    });
    expect(second.stop_reason).toBe("end_turn");
    expect(second.content[0]!.type).toBe("text");
  });

  it("takes a system prompt as a string or as text blocks", async () => {
    const messages: Anthropic.MessageParam[] = [{ role: "user", content: "Hello" }];
    const bare = await client.messages.create({ model: "fast", max_tokens: 50, messages });
    const withString = await client.messages.create({ model: "fast", max_tokens: 50, messages, system: "You answer in one long, careful paragraph about the sea." });
    const withBlocks = await client.messages.create({
      model: "fast",
      max_tokens: 50,
      messages,
      system: [{ type: "text", text: "You answer in one long, careful paragraph about the sea." }],
    });
    expect(withString.usage.input_tokens).toBeGreaterThan(bare.usage.input_tokens);
    expect(withBlocks.usage.input_tokens).toBe(withString.usage.input_tokens);
  });

  it("counts tokens without calling a provider, and more for a longer prompt", async () => {
    const short = await client.messages.countTokens({ model: "fast", messages: [{ role: "user", content: "Hi" }] });
    const long = await client.messages.countTokens({ model: "claude", system: "Be precise.", tools, messages: [{ role: "user", content: "Hi there, how is the weather in Oslo today?" }] });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens + 10);
    await expect(client.messages.countTokens({ model: "nope", messages: [{ role: "user", content: "Hi" }] })).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it("refuses what it cannot carry, and bad input, in Anthropic's error shape", async () => {
    const image = await client.messages
      .create({
        model: "fast",
        max_tokens: 50,
        messages: [{ role: "user", content: [{ type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } }, { type: "text", text: "What is this?" }] }],
      })
      .catch((e: unknown) => e);
    expect(image).toBeInstanceOf(Anthropic.BadRequestError);
    expect((image as InstanceType<typeof Anthropic.BadRequestError>).error).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("messages[0].content[0]") },
    });
    const noMax = await client.messages.create({ model: "fast", messages: [{ role: "user", content: "x" }] } as never).catch((e: unknown) => e);
    expect(noMax).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String((noMax as Error).message)).toContain("max_tokens");
    const badRole = await client.messages.create({ model: "fast", max_tokens: 10, messages: [{ role: "system", content: "x" }] } as never).catch((e: unknown) => e);
    expect(badRole).toBeInstanceOf(Anthropic.BadRequestError);
    await expect(client.messages.create({ model: "nope", max_tokens: 10, messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    const streamedMissing = client.messages.stream({ model: "nope", max_tokens: 10, messages: [{ role: "user", content: "x" }] });
    await expect(streamedMissing.finalMessage()).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it("ends a stream cut mid-way with an error event, which the SDK raises, and records the call as an error", async () => {
    const stream = client.messages.stream({ model: "truncating", max_tokens: 100, messages: [{ role: "user", content: "Long answer please" }] });
    let messageId = "";
    stream.on("streamEvent", (event) => {
      if (event.type === "message_start") messageId = event.message.id;
    });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(messageId).toMatch(/^msg_/);
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: callIdOf(messageId) })).data!.call!;
    expect(call).toMatchObject({ status: "ERROR", streamed: true });
  });

  it("authenticates with x-api-key or Authorization: Bearer, and applies a virtual key's scope", async () => {
    const secret = (await gateway.execute(CreateVirtualKeyDocument, { input: { name: "messages", allowedModels: ["claude"] } })).data!.createVirtualKey.secret;
    const viaApiKey = new Anthropic({ baseURL: gateway.url, apiKey: secret, maxRetries: 0 });
    const viaBearer = new Anthropic({ baseURL: gateway.url, apiKey: null, authToken: secret, maxRetries: 0 });
    const body = { model: "claude", max_tokens: 20, messages: [{ role: "user" as const, content: "Hi" }] };
    const one = await viaApiKey.messages.create(body);
    await viaBearer.messages.create(body);
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: callIdOf(one.id) })).data!.call!;
    expect(call.status).toBe("SUCCESS");
    await expect(viaApiKey.messages.create({ ...body, model: "fast" })).rejects.toBeInstanceOf(Anthropic.PermissionDeniedError);
    await expect(viaApiKey.messages.countTokens({ model: "fast", messages: body.messages })).rejects.toBeInstanceOf(Anthropic.PermissionDeniedError);
    const poor = (await gateway.execute(CreateVirtualKeyDocument, { input: { name: "poor", budget: { limitUsd: 0.0000001, period: "MONTHLY" } } })).data!.createVirtualKey.secret;
    const overBudget = await new Anthropic({ baseURL: gateway.url, apiKey: poor, maxRetries: 0 }).messages.create(body).catch((e: unknown) => e);
    expect(overBudget).toBeInstanceOf(Anthropic.APIError);
    expect((overBudget as InstanceType<typeof Anthropic.APIError>).status).toBe(402);
    expect((overBudget as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error", error: { type: "billing_error" } });
    const stranger = new Anthropic({ baseURL: gateway.url, apiKey: "sk-sy-made-up", maxRetries: 0 });
    const refused = await stranger.messages.create(body).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((refused as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: "error", error: { type: "authentication_error" } });
  });
});
