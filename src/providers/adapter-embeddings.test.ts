import { afterEach, describe, expect, it } from "vitest";
import { createAzureAdapter } from "./azure/create-azure-adapter.js";
import { createGeminiAdapter } from "./gemini/create-gemini-adapter.js";
import { providerFailure } from "./http/testing/adapter-test-helpers.js";
import { startFakeUpstream, type FakeUpstream } from "./http/testing/start-fake-upstream.js";
import { createOllamaAdapter } from "./ollama/create-ollama-adapter.js";
import { createOpenAIAdapter } from "./openai/create-openai-adapter.js";

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

const answer = (body: unknown) => (_request: unknown, response: import("node:http").ServerResponse) => {
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
};

describe("adapters' embed(), against a fake upstream", () => {
  it("OpenAI: sends floats asked for, puts vectors back in input order by index, reads usage", async () => {
    upstream = await startFakeUpstream(answer({ object: "list", model: "text-embedding-3-small", data: [{ index: 1, embedding: [0, 1] }, { index: 0, embedding: [1, 0] }], usage: { prompt_tokens: 5, total_tokens: 5 } }));
    const adapter = createOpenAIAdapter({ provider: "openai", baseUrl: `${upstream.url}/v1`, apiKey: "k", extra: {} });
    const { response } = await adapter.embed!({ model: "text-embedding-3-small", input: ["a", "b"], dimensions: 2 });
    expect(response).toEqual({ model: "text-embedding-3-small", vectors: [[1, 0], [0, 1]], inputTokens: 5 });
    expect(upstream.requests[0]!.path).toBe("/v1/embeddings");
    expect(JSON.parse(upstream.requests[0]!.body)).toEqual({ model: "text-embedding-3-small", input: ["a", "b"], encoding_format: "float", dimensions: 2 });
    await adapter.close?.();
  });

  it("OpenAI: a body with too few vectors is an invalid_response", async () => {
    upstream = await startFakeUpstream(answer({ data: [{ index: 0, embedding: [1] }] }));
    const adapter = createOpenAIAdapter({ provider: "openai", baseUrl: upstream.url, extra: {} });
    expect((await providerFailure(adapter.embed!({ model: "m", input: ["a", "b"] }))).kind).toBe("invalid_response");
    await adapter.close?.();
  });

  it("Azure: the deployment's embeddings path with the api-key header", async () => {
    upstream = await startFakeUpstream(answer({ data: [{ index: 0, embedding: [0.5] }], usage: { prompt_tokens: 1 } }));
    const adapter = createAzureAdapter({ provider: "azure", baseUrl: upstream.url, apiKey: "az", extra: { deployment: "emb" } });
    await adapter.embed!({ model: "text-embedding-3-small", input: ["a"] });
    expect(upstream.requests[0]!.path).toBe("/openai/deployments/emb/embeddings?api-version=2024-10-21");
    expect(upstream.requests[0]!.headers["api-key"]).toBe("az");
    await adapter.close?.();
  });

  it("Gemini: batchEmbedContents with one request per text; tokens estimated", async () => {
    upstream = await startFakeUpstream(answer({ embeddings: [{ values: [1, 2] }, { values: [3, 4] }] }));
    const adapter = createGeminiAdapter({ provider: "gemini", baseUrl: upstream.url, apiKey: "g", extra: {} });
    const { response } = await adapter.embed!({ model: "gemini-embedding-001", input: ["abcd", "efghijkl"], dimensions: 2 });
    expect(response.vectors).toEqual([[1, 2], [3, 4]]);
    expect(response.inputTokens).toBe(3);
    expect(upstream.requests[0]!.path).toBe("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    expect(JSON.parse(upstream.requests[0]!.body).requests[1]).toEqual({ model: "models/gemini-embedding-001", content: { parts: [{ text: "efghijkl" }] }, outputDimensionality: 2 });
    await adapter.close?.();
  });

  it("Ollama: /api/embed with the input list; prompt_eval_count as tokens", async () => {
    upstream = await startFakeUpstream(answer({ model: "nomic-embed-text", embeddings: [[0.1], [0.2]], prompt_eval_count: 7 }));
    const adapter = createOllamaAdapter({ provider: "ollama", baseUrl: upstream.url, extra: {} });
    const { response } = await adapter.embed!({ model: "nomic-embed-text", input: ["a", "b"] });
    expect(response).toEqual({ model: "nomic-embed-text", vectors: [[0.1], [0.2]], inputTokens: 7 });
    expect(JSON.parse(upstream.requests[0]!.body)).toEqual({ model: "nomic-embed-text", input: ["a", "b"] });
    await adapter.close?.();
  });
});
