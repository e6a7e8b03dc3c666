import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { E2E_CONFIG } from "./gateway-config.js";

let gateway: TestGateway;
let client: OpenAI;
beforeAll(async () => {
  gateway = await startTestGateway(E2E_CONFIG);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "unused-in-open-mode", maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.close();
});

describe("the official OpenAI SDK against /v1", () => {
  it("completes, and the call is recorded", async () => {
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Say hi" }], metadata: { via: "sdk" } });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.choices[0]!.message.content).toMatch(/\S/);
    expect(completion.usage!.completion_tokens).toBe(12);
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: completion.id.replace("chatcmpl-", "") })).data!.call!;
    expect(call.status).toBe("SUCCESS");
  });

  it("streams with usage in the last chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "fast",
      messages: [{ role: "user", content: "Stream please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toMatch(/\S/);
    expect(finish).toBe("stop");
    expect(usage!.completion_tokens).toBe(12);
  });

  it("cancels the upstream request when the client leaves a stream, and records CANCELLED", async () => {
    const simulator = gateway.switchyard.simulator!;
    const stream = await client.chat.completions.create({ model: "slow", messages: [{ role: "user", content: "Go on and on" }], stream: true });
    let id = "";
    for await (const chunk of stream) {
      id = chunk.id;
      if (chunk.choices[0]?.delta.content) break; // leaving the loop aborts the SDK's request
    }
    await waitFor(() => simulator.stats.open === 0, "the upstream connection to close");
    await waitFor(async () => {
      await gateway.flush();
      return (await gateway.execute(CallDocument, { id: id.replace("chatcmpl-", "") })).data?.call?.status === "CANCELLED";
    }, "the CANCELLED row");
  });

  it("cancels the upstream request when the client leaves before a plain (not streamed) answer", async () => {
    const simulator = gateway.switchyard.simulator!;
    const leave = new AbortController();
    const opened = simulator.stats.open;
    const answer = client.chat.completions.create({ model: "slow", messages: [{ role: "user", content: "Take your time" }] }, { signal: leave.signal });
    await waitFor(() => simulator.stats.open > opened, "the upstream request to start");
    leave.abort();
    await expect(answer).rejects.toThrow();
    await waitFor(() => simulator.stats.open === opened, "the upstream connection to close");
  });

  it("calls tools both ways", async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } },
    ];
    const first = await client.chat.completions.create({ model: "fast", messages: [{ role: "user", content: "Weather in Oslo?" }], tools });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect(call.type === "function" && call.function.name).toBe("get_weather");
    const second = await client.chat.completions.create({
      model: "fast",
      tools,
      messages: [
        { role: "user", content: "Weather in Oslo?" },
        first.choices[0]!.message,
        { role: "tool", tool_call_id: call.id, content: '{"temp_c": 4}' },
      ],
    });
    expect(second.choices[0]!.finish_reason).toBe("stop");
  });

  it("surfaces gateway errors as SDK errors with OpenAI's shape", async () => {
    const error = await client.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
    const bad = await client.chat.completions.create({ model: "fast", messages: [] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it("lists model groups and aliases", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(["fast", "gpt-4o-mini", "flaky"]));
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
