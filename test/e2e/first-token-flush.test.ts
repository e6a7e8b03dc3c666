import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../src/providers/http/testing/start-fake-upstream.js";
import { CompletionStreamDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

// An OpenAI upstream that sends the first piece of its answer and then holds the rest until the
// test lets it go. Whatever the gateway waits for before it writes the first token (a second
// chunk, a fuller batch, the end of the body, a socket left corked) never comes while it holds:
// the client then never sees the first token and the test fails on its timeout.
const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-held", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const FIRST = chunk({ role: "assistant", content: "Hel" });
const REST = [
  chunk({ content: "lo" }),
  chunk({}, "stop"),
  `data: ${JSON.stringify({ id: "chatcmpl-held", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } })}\n\n`,
  "data: [DONE]\n\n",
].join("");

let upstream: FakeUpstream;
let gateway: TestGateway;
/** Lets the held upstream answer go on; one per request, in order. */
const releases: Array<() => void> = [];
let held = 0;

beforeAll(async () => {
  upstream = await startFakeUpstream(async (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(FIRST);
    held += 1;
    await new Promise<void>((resolve) => releases.push(resolve));
    response.end(REST);
  });
  gateway = await startTestGateway(`
models:
  - name: held
    retries: 0
    deployments:
      - { id: held-openai, provider: openai, model: gpt-4o-mini, baseUrl: "${upstream.url}/v1", apiKey: test }
`);
});
afterAll(async () => {
  for (const release of releases.splice(0)) release();
  await gateway?.close();
  await upstream?.close();
});

describe("the first token leaves the gateway before the upstream sends the second", () => {
  it("/v1/chat/completions SSE: the first content chunk arrives while the upstream holds the rest", async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "held", messages: [{ role: "user", content: "Say hello" }], stream: true }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes('"content":"')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before its first token: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    // Still held: nothing past the first piece can have been sent, so the first token went alone.
    expect(releases).toHaveLength(1);
    expect(text).toContain('"content":"Hel"');
    expect(text).not.toContain('"content":"lo"');

    releases.shift()!();
    for (let step = await reader.read(); !step.done; step = await reader.read()) text += decoder.decode(step.value, { stream: true });
    expect(text).toContain('"content":"lo"');
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("graphql-ws completionStream: the first delta arrives while the upstream holds the rest", async () => {
    const heldBefore = held;
    const client = gateway.wsClient();
    const iterator = client.iterate<{ completionStream: { delta: string | null; done: boolean } }>({
      query: print(CompletionStreamDocument),
      variables: { input: { model: "held", messages: [{ role: "USER", content: "Say hello" }] } },
    });
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(held).toBe(heldBefore + 1);
    expect(releases).toHaveLength(1);
    expect(first.value?.data?.completionStream.delta).toBe("Hel");

    releases.shift()!();
    const rest: Array<{ delta: string | null; done: boolean }> = [];
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) rest.push(step.value.data!.completionStream);
    expect(rest.map((c) => c.delta).join("")).toBe("lo");
    expect(rest.at(-1)!.done).toBe(true);
  });
});
