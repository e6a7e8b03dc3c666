import { request as httpRequest, Agent } from "node:http";
import { describe, expect, it } from "vitest";
import { complete, type CompletionShape, postChat, PROMPT_TOKENS, userMessages, useSimulators } from "./simulator.test-helpers.js";

const start = useSimulators();

describe("non-streaming responses", () => {
  it("answers in the chat.completion shape with usage and rate-limit headers", async () => {
    const simulator = await start();
    const response = await postChat(simulator.url, { model: "gpt-4o-mini", messages: userMessages() });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("10000");
    expect(response.headers.get("x-ratelimit-limit-tokens")).toBe("1000000");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("9999");
    expect(response.headers.get("x-ratelimit-reset-requests")).toMatch(/^(\d+m)?\d+(\.\d+)?s$/);
    const text = await response.text();
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));

    const body = JSON.parse(text) as CompletionShape;
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.object).toBe("chat.completion");
    expect(Number.isInteger(body.created)).toBe(true);
    expect(body.model).toBe("gpt-4o-mini");
    const [choice] = body.choices;
    expect(choice).toMatchObject({ index: 0, message: { role: "assistant", refusal: null }, finish_reason: "stop", logprobs: null });
    const words = (choice!.message.content ?? "").split(" ");
    expect(words).toHaveLength(16);
    expect(body.usage).toEqual({
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: 16,
      total_tokens: PROMPT_TOKENS + 16,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });

    const second = await postChat(simulator.url, { model: "gpt-4o-mini", messages: userMessages() });
    expect(second.headers.get("x-ratelimit-remaining-requests")).toBe("9998");
    expect(Number(second.headers.get("x-ratelimit-remaining-tokens"))).toBe(1_000_000 - 2 * (PROMPT_TOKENS + 16));
  });

  it("applies the profile's model, length, cache fraction and rate limits", async () => {
    const simulator = await start({
      profiles: { small: { model: "sim-small", outputTokens: 4, cachedPromptFraction: 0.5, rateLimit: { requests: 60, tokens: 1000 } } },
    });
    const response = await postChat(simulator.url, { model: "whatever", messages: userMessages() }, { path: "/p/small/v1/chat/completions" });
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("60");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("59");
    const body = (await response.json()) as CompletionShape;
    expect(body.model).toBe("sim-small");
    expect(body.usage.completion_tokens).toBe(4);
    expect(body.usage.prompt_tokens_details.cached_tokens).toBe(Math.floor(PROMPT_TOKENS * 0.5));
  });

  it("cuts at max_tokens / max_completion_tokens with finish_reason length", async () => {
    const simulator = await start();
    for (const limit of [{ max_tokens: 3 }, { max_completion_tokens: 3 }, { max_tokens: 10, max_completion_tokens: 3 }]) {
      const body = await complete(simulator.url, limit);
      expect(body.choices[0]!.finish_reason).toBe("length");
      expect(body.usage.completion_tokens).toBe(3);
      expect(body.choices[0]!.message.content!.split(" ")).toHaveLength(3);
    }
  });

  it("cuts at a stop string with finish_reason stop and without sending the stop string", async () => {
    const first = await start({ seed: 5 });
    const full = (await complete(first.url, {})).choices[0]!.message.content!;
    const stop = ` ${full.split(" ")[3]}`;
    const again = await start({ seed: 5 });
    const body = await complete(again.url, { stop: ["never-appears", stop] });
    expect(body.choices[0]!.finish_reason).toBe("stop");
    expect(body.choices[0]!.message.content).toBe(full.slice(0, full.indexOf(stop)));
    expect(body.usage.completion_tokens).toBeLessThanOrEqual(3);

    // A stop string starting inside a word: the word is sent up to the stop string.
    const word = full.split(" ").find((w, i) => i > 0 && /^[a-z]{3,}$/.test(w))!;
    const midWord = word.slice(1);
    const third = await start({ seed: 5 });
    const partial = await complete(third.url, { stop: midWord });
    expect(partial.choices[0]!.message.content).toBe(full.slice(0, full.indexOf(midWord)));
    expect(partial.choices[0]!.message.content!.endsWith(word[0]!)).toBe(true);
  });

  it("answers json_object and json_schema formats with parseable JSON", async () => {
    const simulator = await start();
    const object = await complete(simulator.url, { response_format: { type: "json_object" } });
    expect(JSON.parse(object.choices[0]!.message.content!)).toEqual({ answer: expect.any(String) });
    const schema = await complete(simulator.url, {
      response_format: { type: "json_schema", json_schema: { name: "r", schema: { type: "object", properties: { title: { type: "string" }, score: { type: "number" } } } } },
    });
    expect(JSON.parse(schema.choices[0]!.message.content!)).toEqual({ title: "sample", score: 1 });
  });
});

describe("routes, auth and validation", () => {
  it("lists models for all profiles and for one profile", async () => {
    const simulator = await start({ defaultProfile: { model: "sim-default" }, profiles: { fast: { model: "sim-fast" }, slow: {} } });
    const all = (await (await fetch(`${simulator.url}/v1/models`)).json()) as { object: string; data: Array<{ id: string; object: string }> };
    expect(all.object).toBe("list");
    expect(all.data.map((m) => m.id)).toEqual(["sim-default", "sim-fast", "slow"]);
    const one = (await (await fetch(`${simulator.url}/p/fast/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(one.data.map((m) => m.id)).toEqual(["sim-fast"]);
  });

  it("answers unknown routes and profiles with OpenAI-shaped 404s", async () => {
    const simulator = await start();
    const route = await fetch(`${simulator.url}/v1/images/generations`, { method: "POST", body: "{}" });
    expect(route.status).toBe(404);
    expect(await route.json()).toEqual({ error: { message: "Invalid URL (POST /v1/images/generations)", type: "invalid_request_error", param: null, code: null } });
    const profile = await postChat(simulator.url, { model: "m", messages: userMessages() }, { path: "/p/nope/v1/chat/completions" });
    expect(profile.status).toBe(404);
    expect(await profile.json()).toMatchObject({ error: { type: "invalid_request_error", code: "model_not_found", param: null } });
  });

  it("rejects bad bodies with 400 invalid_request_error", async () => {
    const simulator = await start();
    const badJson = await postChat(simulator.url, "{not json");
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: { type: "invalid_request_error", param: null, code: null } });
    for (const body of [{ model: "m" }, { model: "m", messages: [] }, { model: "m", messages: "hi" }]) {
      const response = await postChat(simulator.url, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error", param: "messages", message: expect.any(String) } });
    }
    const noModel = await postChat(simulator.url, { messages: userMessages() });
    expect(noModel.status).toBe(400);
    const streamOptions = await postChat(simulator.url, { model: "m", messages: userMessages(), stream_options: { include_usage: true } });
    expect(((await streamOptions.json()) as { error: { param: string } }).error.param).toBe("stream_options");
  });

  it("requires the API key when one is configured", async () => {
    const simulator = await start({ apiKey: "sk-test-1234" });
    const missing = await postChat(simulator.url, { model: "m", messages: userMessages() });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_api_key", param: null } });
    const wrong = await postChat(simulator.url, { model: "m", messages: userMessages() }, { headers: { authorization: "Bearer sk-wrong-9999" } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toContain("9999");
    const right = await postChat(simulator.url, { model: "m", messages: userMessages() }, { headers: { authorization: "Bearer sk-test-1234" } });
    expect(right.status).toBe(200);
  });

  it("records requests with their headers, parsed body and profile", async () => {
    const simulator = await start({ profiles: { a: {} } });
    await (await postChat(simulator.url, { model: "m", messages: userMessages("first") }, { path: "/p/a/v1/chat/completions", headers: { "x-trace": "t1" } })).text();
    await (await fetch(`${simulator.url}/v1/models`)).text();
    expect(simulator.requests).toHaveLength(2);
    const [chat, models] = simulator.requests;
    expect(chat).toMatchObject({ method: "POST", path: "/p/a/v1/chat/completions", profile: "a", body: { model: "m", messages: userMessages("first") } });
    expect(chat!.headers["x-trace"]).toBe("t1");
    expect(models).toMatchObject({ method: "GET", path: "/v1/models", profile: "default", body: undefined });
    expect(simulator.stats.requests).toBe(2);
    expect(simulator.stats.open).toBe(0);
  });

  it("keeps connections alive across non-streaming, error and streaming responses", async () => {
    const simulator = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = httpRequest(`${simulator.url}/v1/chat/completions`, { method: "POST", agent, headers: { "content-type": "application/json" } }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on("error", reject);
        req.end(body);
      });
    try {
      const ok = JSON.stringify({ model: "m", messages: userMessages() });
      const results = [await send(ok), await send("{bad"), await send(JSON.stringify({ model: "m", messages: userMessages(), stream: true })), await send(ok)];
      expect(results.map((r) => r.status)).toEqual([200, 400, 200, 200]);
      expect(results.map((r) => r.reused)).toEqual([false, true, true, true]);
    } finally {
      agent.destroy();
    }
  });
});
