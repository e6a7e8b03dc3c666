export * from "./create-openai-compatible-adapter.js";
export * from "./presets.js";
export * from "./resolve-openai-compatible-preset.js";
