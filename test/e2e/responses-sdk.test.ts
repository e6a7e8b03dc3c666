import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallDocument, CreateVirtualKeyDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { E2E_CONFIG } from "./gateway-config.js";

const MASTER = "sk-master-responses";
let gateway: TestGateway;
let client: OpenAI;
let keyA: OpenAI;
let keyB: OpenAI;

const callIdOf = (responseId: string) => responseId.replace(/^resp_(\w{8})(\w{4})(\w{4})(\w{4})(\w{12})$/, "$1-$2-$3-$4-$5");
const tools: OpenAI.Responses.Tool[] = [
  { type: "function", name: "get_weather", strict: false, parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
];

beforeAll(async () => {
  gateway = await startTestGateway(E2E_CONFIG, { masterKey: MASTER });
  const baseURL = `${gateway.url}/v1`;
  client = new OpenAI({ baseURL, apiKey: MASTER, maxRetries: 0 });
  const create = async (name: string, allowedModels?: string[]) =>
    (await gateway.execute(CreateVirtualKeyDocument, { input: { name, ...(allowedModels ? { allowedModels } : {}) } })).data!.createVirtualKey.secret;
  keyA = new OpenAI({ baseURL, apiKey: await create("responses-a"), maxRetries: 0 });
  keyB = new OpenAI({ baseURL, apiKey: await create("responses-b", ["flaky"]), maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.close();
});

describe("the official OpenAI SDK against /v1/responses", () => {
  it("answers a string input, and the call is recorded and priced", async () => {
    const response = await client.responses.create({ model: "gpt-4o-mini", input: "Say hi", instructions: "Be brief", metadata: { via: "responses" } });
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(response.output_text).toMatch(/\S/);
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({ type: "message", role: "assistant", status: "completed" });
    expect(response.instructions).toBe("Be brief");
    expect(response.metadata).toEqual({ via: "responses" });
    expect(response.usage!.output_tokens).toBe(12);
    expect(response.usage!.total_tokens).toBe(response.usage!.input_tokens + 12);
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: callIdOf(response.id) })).data!.call!;
    expect(call).toMatchObject({ status: "SUCCESS", streamed: false, completionTokens: 12 });
    expect(call.costUsd).toBeGreaterThan(0);
  });

  it("streams the semantic events in order, with increasing sequence numbers", async () => {
    const stream = client.responses.stream({ model: "fast", input: [{ role: "user", content: [{ type: "input_text", text: "Stream please" }] }] });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    const types = [...new Set(events.map((e) => e.type))];
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : [])).join("");
    expect(final.output_text).toBe(deltas);
    expect(final.status).toBe("completed");
    expect(final.usage!.output_tokens).toBe(12);
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: callIdOf(final.id) })).data!.call!;
    expect(call).toMatchObject({ status: "SUCCESS", streamed: true });
  });

  it("calls a function, then continues from previous_response_id with its output", async () => {
    const first = await client.responses.create({ model: "fast", input: "Weather in Oslo?", tools });
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", name: "get_weather", status: "completed" });
    if (call?.type !== "function_call") throw new Error("no function call");
    expect(() => JSON.parse(call.arguments) as unknown).not.toThrow();
    const second = await client.responses.create({
      model: "fast",
      previous_response_id: first.id,
      tools,
      input: [{ type: "function_call_output", call_id: call.call_id, output: '{"temp_c": 4}' }],
    });
    expect(second.previous_response_id).toBe(first.id);
    expect(second.output[0]!.type).toBe("message");
    expect(second.output_text).toMatch(/\S/);
    // The continuation sent the whole conversation upstream: more prompt than the first turn.
    expect(second.usage!.input_tokens).toBeGreaterThan(first.usage!.input_tokens);
  });

  it("streams a function call's arguments, and takes the full conversation back as input items", async () => {
    const stream = client.responses.stream({ model: "fast", input: "Weather in Oslo?", tools, store: false });
    const types: string[] = [];
    let argumentDeltas = "";
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.function_call_arguments.delta") argumentDeltas += event.delta;
    }
    const final = await stream.finalResponse();
    const call = final.output.find((item) => item.type === "function_call");
    if (call?.type !== "function_call") throw new Error("no function call");
    expect(call.arguments).toBe(argumentDeltas);
    expect(types).toContain("response.function_call_arguments.done");
    expect(types.at(-1)).toBe("response.completed");
    // Not stored: it cannot be continued or read back.
    await expect(client.responses.retrieve(final.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const second = await client.responses.create({
      model: "fast",
      tools,
      input: [
        { role: "user", content: "Weather in Oslo?" },
        { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: "function_call_output", call_id: call.call_id, output: '{"temp_c": 4}' },
      ],
    });
    expect(second.output[0]!.type).toBe("message");
  });

  it("reads a stored response back, and deletes it", async () => {
    const created = await client.responses.create({ model: "fast", input: "Remember this" });
    const read = await client.responses.retrieve(created.id);
    expect(read.id).toBe(created.id);
    expect(read.output).toEqual(created.output);
    await client.responses.delete(created.id);
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("keeps a virtual key's stored responses to that key, and applies its limits", async () => {
    const mine = await keyA.responses.create({ model: "fast", input: "Mine" });
    const follow = await keyA.responses.create({ model: "fast", input: "More", previous_response_id: mine.id });
    expect(follow.status).toBe("completed");
    await expect(keyB.responses.retrieve(mine.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const foreign = await keyB.responses.create({ model: "flaky", input: "Theirs", previous_response_id: mine.id }).catch((e: unknown) => e);
    expect(foreign).toBeInstanceOf(OpenAI.BadRequestError);
    expect((foreign as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("previous_response_id");
    // The master key reads every stored response.
    expect((await client.responses.retrieve(mine.id)).id).toBe(mine.id);
    // Key B may only use "flaky": the same governance as chat completions.
    await expect(keyB.responses.create({ model: "fast", input: "No" })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    const poor = (await gateway.execute(CreateVirtualKeyDocument, { input: { name: "poor", budget: { limitUsd: 0.0000001, period: "MONTHLY" } } })).data!.createVirtualKey.secret;
    const overBudget = await new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: poor, maxRetries: 0 }).responses.create({ model: "fast", input: "x" }).catch((e: unknown) => e);
    expect((overBudget as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((overBudget as InstanceType<typeof OpenAI.APIError>).code).toBe("budget_exceeded");
    await expect(new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "sk-sy-made-up", maxRetries: 0 }).responses.create({ model: "fast", input: "x" })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });

  it("ends a stream cut mid-way with response.failed, and records the call as an error", async () => {
    const stream = await client.responses.create({ model: "truncating", input: "Long answer please", stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const last = events.at(-1)!;
    expect(last.type).toBe("response.failed");
    if (last.type !== "response.failed") throw new Error("not failed");
    expect(last.response.status).toBe("failed");
    expect(last.response.error?.message).toMatch(/\S/);
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: callIdOf(last.response.id) })).data!.call!;
    expect(call).toMatchObject({ status: "ERROR", streamed: true });
    // A failed response is not stored.
    await expect(client.responses.retrieve(last.response.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("refuses bad input with a 400 naming the field, in OpenAI's error shape", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ model: "fast" }, "input"],
      [{ model: "fast", input: 42 }, "input"],
      [{ model: "fast", input: [{ role: "robot", content: "x" }] }, "input[0].role"],
      [{ model: "fast", input: [{ type: "function_call_output", output: "x" }] }, "input[0].call_id"],
      [{ model: "fast", input: "x", tools: [{ type: "web_search" }] }, "tools[0]"],
      [{ model: "fast", input: "x", temperature: "hot" }, "temperature"],
      [{ model: "fast", input: "x", previous_response_id: "resp_missing" }, "previous_response_id"],
    ];
    for (const [body, param] of cases) {
      const error = await client.responses.create(body as never).catch((e: unknown) => e);
      expect(error, param).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(param);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).type).toBe("invalid_request_error");
    }
    await expect(client.responses.create({ model: "nope", input: "x" })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
