import { describe, expect, it } from "vitest";
import type { ModelPrice } from "./model-price.js";
import { createPriceCatalog } from "./price-catalog.js";
import { InvalidPriceError } from "./pricing-override.js";
import { resolveDeploymentPrice } from "./resolve-deployment-price.js";

const mini: ModelPrice = {
  provider: "openai",
  inputPico: 150000n,
  outputPico: 600000n,
  cacheReadPico: 75000n,
  contextWindow: 128000,
  maxOutputTokens: 16384,
  capabilities: { tools: true, vision: true, jsonSchema: true, promptCaching: true, systemMessages: true },
};
const catalog = createPriceCatalog({ "gpt-4o-mini": mini });

describe("resolveDeploymentPrice", () => {
  it("returns the catalog price when the config sets none", () => {
    expect(resolveDeploymentPrice(catalog, { model: "gpt-4o-mini-2024-07-18", provider: "openai" })).toEqual(mini);
  });

  it("lets the override win field by field and keeps the rest from the catalog", () => {
    const price = resolveDeploymentPrice(catalog, {
      model: "gpt-4o-mini",
      provider: "openai",
      override: { inputPerMTok: 0.1, outputPerMTok: 0.4 },
    });
    expect(price).toEqual({ ...mini, inputPico: 100000n, outputPico: 400000n });
  });

  it("overrides cache prices and limits when given", () => {
    const price = resolveDeploymentPrice(catalog, {
      model: "gpt-4o-mini",
      override: { inputPerMTok: 0.1, outputPerMTok: 0.4, cachedInputPerMTok: 0.01, cacheWritePerMTok: 0.2 },
      contextWindow: 64000,
      maxOutputTokens: 4096,
    });
    expect(price).toMatchObject({ cacheReadPico: 10000n, cacheWritePico: 200000n, contextWindow: 64000, maxOutputTokens: 4096 });
  });

  it("does not change the catalog's entry", () => {
    const price = resolveDeploymentPrice(catalog, { model: "gpt-4o-mini", override: { inputPerMTok: 9, outputPerMTok: 9 } });
    price!.capabilities.tools = false;
    expect(catalog.lookup("gpt-4o-mini")).toEqual(mini);
  });

  it("prices a model the catalog does not know from the override alone", () => {
    expect(
      resolveDeploymentPrice(catalog, {
        model: "my-finetune",
        provider: "openai-compatible",
        override: { inputPerMTok: 1, outputPerMTok: 2 },
        contextWindow: 8192,
      }),
    ).toEqual({
      provider: "openai-compatible",
      inputPico: 1000000n,
      outputPico: 2000000n,
      contextWindow: 8192,
      // Nothing vouches either way: unknown, not "no".
      capabilities: {},
    });
  });

  it("is undefined for an unknown model without pricing", () => {
    expect(resolveDeploymentPrice(catalog, { model: "my-finetune", provider: "ollama", contextWindow: 8192 })).toBeUndefined();
  });

  it("throws for a negative override", () => {
    expect(() =>
      resolveDeploymentPrice(catalog, { model: "gpt-4o-mini", override: { inputPerMTok: -1, outputPerMTok: 1 } }),
    ).toThrow(InvalidPriceError);
  });
});
