import { describe, expect, it } from "vitest";
import { OPENAI_COMPATIBLE_PRESET_NAMES, OPENAI_COMPATIBLE_PRESETS } from "./presets.js";
import { resolveOpenAICompatiblePreset } from "./resolve-openai-compatible-preset.js";

describe("resolveOpenAICompatiblePreset", () => {
  it("has the eleven presets, each with its documented base URL", () => {
    expect(Object.fromEntries(OPENAI_COMPATIBLE_PRESET_NAMES.map((name) => [name, OPENAI_COMPATIBLE_PRESETS[name].baseUrl]))).toEqual({
      mistral: "https://api.mistral.ai/v1",
      groq: "https://api.groq.com/openai/v1",
      together: "https://api.together.xyz/v1",
      deepseek: "https://api.deepseek.com",
      xai: "https://api.x.ai/v1",
      fireworks: "https://api.fireworks.ai/inference/v1",
      openrouter: "https://openrouter.ai/api/v1",
      vllm: "http://localhost:8000/v1",
      llamacpp: "http://localhost:8080/v1",
      lmstudio: "http://localhost:1234/v1",
      "ollama-openai": "http://localhost:11434/v1",
    });
  });

  it("takes the named preset, `preset` over `extra.preset`", () => {
    expect(resolveOpenAICompatiblePreset({ baseUrl: "", extra: { preset: "groq" } })?.name).toBe("groq");
    expect(resolveOpenAICompatiblePreset({ baseUrl: "https://api.groq.com/openai/v1", extra: { preset: "groq" }, preset: "vllm" })?.name).toBe(
      "vllm",
    );
  });

  it("infers the preset from the base URL's host and port", () => {
    const infer = (baseUrl: string) => resolveOpenAICompatiblePreset({ baseUrl, extra: {} })?.name;
    expect(infer("https://api.mistral.ai/v1")).toBe("mistral");
    expect(infer("https://API.DeepSeek.com/v1/")).toBe("deepseek");
    expect(infer("https://openrouter.ai/api/v1")).toBe("openrouter");
    expect(infer("http://localhost:11434/v1")).toBe("ollama-openai");
    expect(infer("http://localhost:8000/v1")).toBe("vllm");
    expect(infer("http://localhost:9999/v1")).toBeUndefined();
    expect(infer("https://my-gateway.example.com/v1")).toBeUndefined();
    expect(infer("")).toBeUndefined();
  });

  it("refuses an unknown preset name, listing the known ones", () => {
    expect(() => resolveOpenAICompatiblePreset({ baseUrl: "", extra: { preset: "mistrall" } })).toThrow(/unknown preset "mistrall".*mistral, groq/);
    expect(() => resolveOpenAICompatiblePreset({ baseUrl: "", extra: { preset: "toString" } })).toThrow(/unknown preset/);
  });
});
