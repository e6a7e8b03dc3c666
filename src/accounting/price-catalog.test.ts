import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { resolveBundledCatalogPath } from "./load-bundled-catalog.js";
import { noCapabilities, type ModelPrice } from "./model-price.js";
import { createPriceCatalog, stripDateSuffix } from "./price-catalog.js";

const price = (inputPico: bigint, provider?: string): ModelPrice => ({
  ...(provider === undefined ? {} : { provider }),
  inputPico,
  outputPico: inputPico * 4n,
  capabilities: noCapabilities(),
});

describe("createPriceCatalog with given entries", () => {
  const catalog = createPriceCatalog({
    "gpt-4o-mini": price(150000n, "openai"),
    "azure/gpt-4o-mini": price(165000n, "azure"),
    "claude-3-5-sonnet": price(3000000n, "anthropic"),
  });

  it("prefers the provider-prefixed entry", () => {
    expect(catalog.lookup("gpt-4o-mini", "azure")?.inputPico).toBe(165000n);
    expect(catalog.lookup("gpt-4o-mini", "openai")?.inputPico).toBe(150000n);
    expect(catalog.lookup("gpt-4o-mini")?.inputPico).toBe(150000n);
  });

  it("falls back to the model without its release date", () => {
    expect(catalog.lookup("gpt-4o-mini-2024-07-18")?.inputPico).toBe(150000n);
    expect(catalog.lookup("gpt-4o-mini-2024-07-18", "azure")?.inputPico).toBe(165000n);
    expect(catalog.lookup("claude-3-5-sonnet-20241022", "anthropic")?.inputPico).toBe(3000000n);
    expect(catalog.lookup("claude-3-5-sonnet@20241022")?.inputPico).toBe(3000000n);
  });

  it("ignores case as a last resort and misses unknown models", () => {
    expect(catalog.lookup("GPT-4o-Mini")?.inputPico).toBe(150000n);
    expect(catalog.lookup("gpt-5-unknown", "openai")).toBeUndefined();
    expect(catalog.size).toBe(3);
  });

  it("strips only a trailing date", () => {
    expect(stripDateSuffix("gpt-4o-2024-08-06")).toBe("gpt-4o");
    expect(stripDateSuffix("claude-3-opus-20240229")).toBe("claude-3-opus");
    expect(stripDateSuffix("anthropic.claude-3-opus-20240229-v1:0")).toBe("anthropic.claude-3-opus-20240229-v1:0");
    expect(stripDateSuffix("gpt-4-0613")).toBe("gpt-4-0613");
  });
});

describe("the bundled catalog", () => {
  const catalog = createPriceCatalog();

  it("holds LiteLLM's chat models", () => {
    expect(catalog.size).toBeGreaterThan(1000);
  });

  it("prices gpt-4o-mini at 0.15/0.60 USD per MTok with cached input at half", () => {
    const mini = catalog.lookup("gpt-4o-mini", "openai");
    expect(mini).toMatchObject({
      provider: "openai",
      inputPico: 150000n,
      outputPico: 600000n,
      cacheReadPico: 75000n,
      contextWindow: 128000,
      maxOutputTokens: 16384,
    });
    expect(mini?.capabilities).toMatchObject({ tools: true, vision: true, jsonSchema: true, promptCaching: true });
  });

  it("finds provider-prefixed entries and Anthropic cache-write prices", () => {
    expect(catalog.lookup("gpt-4o-mini", "azure")?.provider).toBe("azure");
    const sonnet = catalog.lookup("claude-3-5-sonnet-20241022", "anthropic");
    expect(sonnet?.cacheWritePico).toBe(3750000n);
    expect(sonnet?.cacheReadPico).toBe(300000n);
  });

  it("hands out entries nobody can change in place", () => {
    const mini = catalog.lookup("gpt-4o-mini");
    expect(Object.isFrozen(mini)).toBe(true);
    expect(Object.isFrozen(mini?.capabilities)).toBe(true);
  });
});

describe("resolveBundledCatalogPath", () => {
  const here = fileURLToPath(new URL("./price-catalog.json", import.meta.url));

  it("finds the JSON beside the module under src/", () => {
    expect(resolveBundledCatalogPath(import.meta.url)).toBe(here);
  });

  it("finds the repository copy from a compiled module under dist/, where no JSON is copied", () => {
    const compiled = new URL("../../dist/src/accounting/load-bundled-catalog.js", import.meta.url).href;
    expect(resolveBundledCatalogPath(compiled)).toBe(here);
  });

  it("says where it looked when there is no catalog", () => {
    expect(() => resolveBundledCatalogPath(pathToFileURL("/nonexistent-root/x/y.js").href)).toThrow(/not found/);
  });
});
