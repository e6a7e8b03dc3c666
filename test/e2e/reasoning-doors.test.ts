import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../src/providers/http/testing/start-fake-upstream.js";
import { ANSWER, reasoningAnswer, reasoningStream, SIGNATURE, THINKING } from "../conformance/reasoning-answers.js";
import { CompleteDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

const MODEL = "claude-sonnet-4-20250514";
// A reasoning model's answer in Anthropic's format, as the conformance matrix has its provider send it.
const MESSAGE = JSON.stringify(reasoningAnswer("anthropic", MODEL).body);
const STREAM = reasoningStream("anthropic", MODEL).frames.join("");

let upstream: FakeUpstream;
let gateway: TestGateway;
beforeAll(async () => {
  upstream = await startFakeUpstream((request, response) => {
    const body = JSON.parse(request.body) as { stream?: boolean };
    if (body.stream) response.writeHead(200, { "content-type": "text/event-stream" }).end(STREAM);
    else response.writeHead(200, { "content-type": "application/json" }).end(MESSAGE);
  });
  gateway = await startTestGateway(`
models:
  - name: thinker
    retries: 0
    deployments:
      - id: claude-thinking
        provider: anthropic
        model: ${MODEL}
        baseUrl: ${upstream.url}
        apiKey: test
`);
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

describe("reasoning through the doors (an Anthropic deployment's thinking blocks)", () => {
  it("Messages: a signed thinking block before the text, plain and streamed; `thinking` reaches Anthropic; the block goes back on the next turn", async () => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: "dev", maxRetries: 0 });
    const params = { model: "thinker", max_tokens: 2048, thinking: { type: "enabled" as const, budget_tokens: 1024 }, messages: [{ role: "user" as const, content: "Name a sea" }] };
    const plain = await client.messages.create(params);
    expect(plain.content).toEqual([
      { type: "thinking", thinking: THINKING, signature: SIGNATURE },
      { type: "text", text: ANSWER },
    ]);
    expect(JSON.parse(upstream.requests.at(-1)!.body)).toMatchObject({ thinking: { type: "enabled", budget_tokens: 1024 } });

    const stream = client.messages.stream(params);
    let thinking = "";
    stream.on("thinking", (delta) => (thinking += delta));
    const final = await stream.finalMessage();
    expect(thinking).toBe(THINKING);
    expect(final.content.map((block) => block.type)).toEqual(["thinking", "text"]);
    expect(final.content[0]).toMatchObject({ type: "thinking", signature: SIGNATURE });
    expect(final.content[1]).toMatchObject({ type: "text", text: ANSWER });

    await client.messages.create({ ...params, messages: [...params.messages, { role: "assistant", content: plain.content }, { role: "user", content: "Another" }] });
    expect(JSON.parse(upstream.requests.at(-1)!.body).messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: THINKING, signature: SIGNATURE },
        { type: "text", text: ANSWER },
      ],
    });
  });

  it("Responses: a reasoning item before the message, plain and streamed", async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "dev", maxRetries: 0 });
    const plain = await client.responses.create({ model: "thinker", input: "Name a sea" });
    expect(plain.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect(plain.output[0]).toMatchObject({ type: "reasoning", content: [{ type: "reasoning_text", text: THINKING }] });
    expect(plain.output_text).toBe(ANSWER);

    const stream = client.responses.stream({ model: "thinker", input: "Name a sea" });
    const types: string[] = [];
    let reasoning = "";
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.reasoning_text.delta") reasoning += event.delta;
    }
    const final = await stream.finalResponse();
    expect(reasoning).toBe(THINKING);
    const runs = types.filter((type, i) => type !== types[i - 1]);
    expect(runs.slice(0, 9)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.reasoning_text.delta",
      "response.reasoning_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
    ]);
    expect(final.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect(final.output[0]).toMatchObject({ content: [{ type: "reasoning_text", text: THINKING }], status: "completed" });
    expect(final.output_text).toBe(ANSWER);
  });

  it("chat completions: reasoning_content beside the content, plain and streamed", async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "dev", maxRetries: 0 });
    const plain = await client.chat.completions.create({ model: "thinker", messages: [{ role: "user", content: "Name a sea" }] });
    expect(plain.choices[0]!.message).toMatchObject({ content: ANSWER, reasoning_content: THINKING });
    const stream = await client.chat.completions.create({ model: "thinker", messages: [{ role: "user", content: "Name a sea" }], stream: true });
    let reasoning = "";
    let content = "";
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string | null; reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? "";
      content += delta?.content ?? "";
    }
    expect(reasoning).toBe(THINKING);
    expect(content).toBe(ANSWER);
  });

  it("reasoning_effort, reasoning.effort and GraphQL reasoningEffort become Anthropic's thinking budget; GraphQL shows the reasoning", async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "dev", maxRetries: 0 });
    await client.chat.completions.create({ model: "thinker", reasoning_effort: "high", max_tokens: 1000, messages: [{ role: "user", content: "Name a sea" }] });
    // The budget counts within max_tokens, so max_tokens grows above it.
    expect(JSON.parse(upstream.requests.at(-1)!.body)).toMatchObject({ thinking: { type: "enabled", budget_tokens: 24_576 }, max_tokens: 25_576 });
    await client.responses.create({ model: "thinker", reasoning: { effort: "low" }, input: "Name a sea" });
    expect(JSON.parse(upstream.requests.at(-1)!.body)).toMatchObject({ thinking: { type: "enabled", budget_tokens: 2048 } });
    const bad = await client.chat.completions.create({ model: "thinker", reasoning_effort: "extreme" as never, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);

    const result = await gateway.execute(CompleteDocument, { input: { model: "thinker", reasoningEffort: "MEDIUM", messages: [{ role: "USER" as const, content: "Name a sea" }] } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.complete.message).toMatchObject({ content: ANSWER, reasoning: THINKING });
    expect(JSON.parse(upstream.requests.at(-1)!.body)).toMatchObject({ thinking: { type: "enabled", budget_tokens: 8192 } });
  });
});
