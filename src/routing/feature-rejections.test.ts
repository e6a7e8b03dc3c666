import { describe, expect, it } from "vitest";
import { ProviderError, type ChatRequest } from "../core/index.js";
import { scriptedAdapter } from "./testing/scripted-adapter.js";
import { createRouter } from "./create-router.js";
import { featuresOf, rejectedFeature } from "./feature-rejections.js";
import type { Deployment, ModelGroup } from "./model-group.js";

const refusal = (message: string, kind: "bad_request" | "server" = "bad_request") => new ProviderError({ kind, provider: "p", status: 400, message });

describe("rejectedFeature", () => {
  it("recognises providers' own words for a missing feature", () => {
    const tools = ["tools"] as const;
    expect(rejectedFeature(refusal("registry.ollama.ai/library/gemma2:2b does not support tools"), tools)).toBe("tools");
    expect(rejectedFeature(refusal("Function calling is not enabled for this model"), tools)).toBe("tools");
    expect(rejectedFeature(refusal('"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set'), tools)).toBe("tools");
    expect(rejectedFeature(refusal("tools is not supported with this model"), tools)).toBe("tools");
    expect(rejectedFeature(refusal("This model does not support structured outputs"), ["json_schema"])).toBe("json_schema");
    expect(rejectedFeature(refusal("response_format json_schema is not supported by this model"), ["json_schema"])).toBe("json_schema");
    expect(rejectedFeature(refusal("'response_format' of type 'json_object' is not supported with this model."), ["json_object"])).toBe("json_object");
  });

  it("leaves other refusals to the caller: a bad argument, a feature the request did not use, a non-400", () => {
    expect(rejectedFeature(refusal("Invalid schema for function 'get_weather': 'x' is not valid"), ["tools"])).toBeUndefined();
    expect(rejectedFeature(refusal("this model does not support tools"), ["json_schema"])).toBeUndefined();
    expect(rejectedFeature(refusal("does not support tools", "server"), ["tools"])).toBeUndefined();
    expect(rejectedFeature(refusal("does not support tools"), [])).toBeUndefined();
  });

  it("reads what a request uses", () => {
    const base: ChatRequest = { model: "m", messages: [{ role: "user", content: "hi" }] };
    expect(featuresOf(base)).toEqual([]);
    expect(featuresOf({ ...base, tools: [{ name: "t" }] })).toEqual(["tools"]);
    expect(featuresOf({ ...base, tools: [{ name: "t" }], toolChoice: "none" })).toEqual([]);
    expect(featuresOf({ ...base, responseFormat: { type: "json_schema", name: "r", schema: {} } })).toEqual(["json_schema"]);
  });
});

describe("the router remembers what a deployment refused", () => {
  const group = (deployments: Deployment[]): ModelGroup => ({
    name: "g",
    aliases: [],
    strategy: "round-robin",
    deployments,
    fallbacks: [],
    contextWindowFallbacks: [],
    contentPolicyFallbacks: [],
    rateLimitFallbacks: [],
    retries: 0,
    timeoutMs: 60_000,
    firstTokenTimeoutMs: 5_000,
  });
  const withTools: ChatRequest = { model: "g", messages: [{ role: "user", content: "weather?" }], tools: [{ name: "get_weather", parameters: { type: "object" } }] };

  it("tries the next deployment within the call, then routes around the refusing one", async () => {
    const local = scriptedAdapter("ollama", [{ fail: "bad_request", message: "registry.ollama.ai/library/gemma2:2b does not support tools" }, { text: "plain" }]);
    const other = scriptedAdapter("openai", [{ text: "called" }]);
    // No capabilities given: unknown, so both are tried.
    const router = createRouter({
      groups: [group([{ id: "local", provider: "ollama", model: "gemma2:2b", weight: 1, adapter: local }, { id: "other", provider: "openai", model: "m", weight: 1, adapter: other }])],
      defaults: { backoff: { baseMs: 1, maxMs: 1 }, fallbacks: { rateLimit: [], contextWindow: [], contentPolicy: [] } },
      sleep: async () => undefined,
    });
    const first = await router.complete(withTools);
    expect(first.attempts.map((a) => a.deployment.id)).toEqual(["local", "other"]);
    expect(router.featureRejections.of("local")).toEqual(["tools"]);
    for (let i = 0; i < 3; i++) expect((await router.complete(withTools)).attempts.map((a) => a.deployment.id)).toEqual(["other"]);
    expect(local.calls).toHaveLength(1);
    // A request without tools may still go there.
    const plain = await Promise.all([1, 2].map(() => router.complete({ model: "g", messages: [{ role: "user", content: "hi" }] })));
    expect(plain.map((r) => r.deployment.id).sort()).toEqual(["local", "other"]);
  });

  it("ends with BAD_USER_INPUT when every deployment refused the feature, and the next call is refused before any provider", async () => {
    const only = scriptedAdapter("ollama", [{ fail: "bad_request", message: "model does not support tools" }]);
    const router = createRouter({
      groups: [group([{ id: "only", provider: "ollama", model: "x", weight: 1, adapter: only }])],
      defaults: { backoff: { baseMs: 1, maxMs: 1 }, fallbacks: { rateLimit: [], contextWindow: [], contentPolicy: [] } },
      sleep: async () => undefined,
    });
    await expect(router.complete(withTools)).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(router.complete(withTools)).rejects.toMatchObject({ code: "BAD_USER_INPUT", details: { errorKind: "unsupported_feature" } });
    expect(only.calls).toHaveLength(1);
  });

  it("counts images as a feature, and recognises a provider's refusal of them", () => {
    expect(featuresOf({ model: "m", messages: [{ role: "user", content: [{ type: "image", url: "https://example.com/a.png" }] }] })).toEqual(["vision"]);
    expect(featuresOf({ model: "m", messages: [{ role: "user", content: [{ type: "text", text: "hi", cacheControl: { type: "ephemeral" } }] }] })).toEqual([]);
    expect(rejectedFeature(refusal("Invalid content type. image_url is only supported by certain models."), ["vision"])).toBe("vision");
    expect(rejectedFeature(refusal("this model does not support image input"), ["vision"])).toBe("vision");
  });
});
