import type { WireName } from "../match-route.js";
import { openAIWire } from "./openai/openai-wire.js";
import type { WireFormat } from "./wire-format.js";

export const WIRE_FORMATS: Readonly<Record<WireName, WireFormat>> = {
  openai: openAIWire, azure: openAIWire, anthropic: openAIWire, gemini: openAIWire, bedrock: openAIWire, ollama: openAIWire,
};
