import type { WireName } from "../match-route.js";
import { anthropicWire } from "./anthropic/anthropic-wire.js";
import { azureWire } from "./azure/azure-wire.js";
import { bedrockWire } from "./bedrock/bedrock-wire.js";
import { geminiWire } from "./gemini/gemini-wire.js";
import { ollamaWire } from "./ollama/ollama-wire.js";
import { openAIWire } from "./openai/openai-wire.js";
import type { WireFormat } from "./wire-format.js";

/** The format each route speaks; see match-route.ts for the paths. */
export const WIRE_FORMATS: Readonly<Record<WireName, WireFormat>> = {
  openai: openAIWire,
  azure: azureWire,
  anthropic: anthropicWire,
  gemini: geminiWire,
  bedrock: bedrockWire,
  ollama: ollamaWire,
};
