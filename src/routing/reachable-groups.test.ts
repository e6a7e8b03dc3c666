import { describe, expect, it } from "vitest";
import { createRouter } from "./create-router.js";
import type { Deployment, ModelGroup } from "./model-group.js";
import { reachableGroups, type FallbackNode } from "./reachable-groups.js";
import { scriptedAdapter } from "./testing/scripted-adapter.js";

function group(name: string, deployments: Deployment[], extra: Partial<ModelGroup> = {}): ModelGroup {
  return {
    name,
    aliases: [],
    strategy: "weighted",
    deployments,
    fallbacks: [],
    contextWindowFallbacks: [],
    contentPolicyFallbacks: [],
    rateLimitFallbacks: [],
    retries: 0,
    timeoutMs: 60_000,
    firstTokenTimeoutMs: 5_000,
    ...extra,
  };
}

const node = (name: string, extra: Partial<FallbackNode> = {}): FallbackNode => ({ name, fallbacks: [], ...extra });
const names = (groups: FallbackNode[]) => groups.map((g) => g.name);
const noDefaults = { contextWindow: [], contentPolicy: [], rateLimit: [] };

describe("reachableGroups", () => {
  const graph = [
    node("a", { fallbacks: ["b"], contextWindowFallbacks: ["long"] }),
    node("b", { fallbacks: ["never"], rateLimitFallbacks: ["spare"] }),
    node("long"),
    node("spare", { contentPolicyFallbacks: ["lenient"] }),
    node("lenient"),
    node("never"),
    node("auto", { tiers: ["a", "long"] }),
  ];
  const find = (name: string) => graph.find((g) => g.name === name);

  it("follows the start's fallbacks once and the chosen chains transitively, never a fallback's fallbacks", () => {
    expect(names(reachableGroups(find("a")!, { find, defaults: noDefaults, chains: ["contextWindow"] }))).toEqual(["a", "b", "long"]);
    expect(names(reachableGroups(find("a")!, { find, defaults: noDefaults, chains: ["contextWindow", "contentPolicy", "rateLimit"] }))).toEqual([
      "a",
      "b",
      "long",
      "spare",
      "lenient",
    ]);
  });

  it("uses the router's default chain where a group sets none, and the request's fallbacks instead of the start's", () => {
    const defaults = { ...noDefaults, contextWindow: ["long"] };
    expect(names(reachableGroups(find("b")!, { find, defaults, chains: ["contextWindow"] }))).toEqual(["b", "never", "long"]);
    expect(names(reachableGroups(find("b")!, { find, defaults: noDefaults, chains: ["contextWindow"], requestFallbacks: ["spare"] }))).toEqual(["b", "spare"]);
  });

  it("reaches every tier of a tiered group and what each tier reaches", () => {
    expect(names(reachableGroups(find("auto")!, { find, defaults: noDefaults, chains: ["contextWindow"] }))).toEqual(["a", "long", "b"]);
  });
});

describe("the router's pre-call check", () => {
  it("serves a prompt too long for its group through router.fallbacks.contextWindow", async () => {
    const short = { id: "short-1", provider: "fake", model: "short", weight: 1, contextWindow: 8_000, adapter: scriptedAdapter("fake", [{ text: "never" }]) };
    const long = { id: "long-1", provider: "fake", model: "long", weight: 1, contextWindow: 128_000, adapter: scriptedAdapter("fake", [{ text: "served" }]) };
    const router = createRouter({
      groups: [group("short", [short]), group("long", [long])],
      defaults: { backoff: { baseMs: 1, maxMs: 1 }, fallbacks: { rateLimit: [], contextWindow: ["long"], contentPolicy: [] } },
    });
    const result = await router.complete({ model: "short", messages: [{ role: "user", content: "x" }] }, { promptTokens: 10_000, promptTokenBound: 40_000 });
    expect(result.group.name).toBe("long");
    expect(result.response.message.content).toBe("served");
    expect(short.adapter.calls).toHaveLength(0);
  });
});
