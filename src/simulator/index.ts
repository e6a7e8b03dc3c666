/**
 * A provider simulator for the demo, tests and benchmarks, speaking several providers' wire
 * formats (WIRE.md) so a multi-provider setup runs offline. Routes, each also under
 * `/p/{profile}` (a named profile; unknown ones get the format's own "not found"):
 *   POST /v1/chat/completions                                  OpenAI chat completions (§1)
 *   GET  /v1/models                                            OpenAI model list (one profile's under /p/{profile})
 *   POST /openai/deployments/{deployment}/chat/completions?api-version=…   Azure OpenAI (§2)
 *   POST /v1/messages                                          Anthropic Messages (§3)
 *   POST /v1beta/models/{model}:generateContent                Gemini (§4; also /v1/models/…)
 *   POST /v1beta/models/{model}:streamGenerateContent?alt=sse  Gemini stream (a JSON array without alt=sse)
 *   POST /model/{url-encoded model id}/converse                Bedrock Converse (§5)
 *   POST /model/{url-encoded model id}/converse-stream         Bedrock ConverseStream, binary event stream (§5.5)
 *   POST /api/chat                                             Ollama native chat (§6.1), NDJSON unless "stream": false
 * Unprefixed routes use the default profile. Every format shares one core: its body parses into
 * a SimulatedRequest, the failure draw and the planned answer (words, tool call, finish, usage)
 * are format-neutral, and a wire module (wire/{provider}/) renders bodies, streams and failures in
 * the provider's own shapes and vocabulary. Answers are a deterministic function of (seed,
 * profile, last user message, per-profile request number), whichever format asks; failures are
 * drawn from the same seeded stream. Standalone: `node dist/src/simulator/cli.js`.
 */
export { createSimulator, type RecordedRequest, type Simulator, type SimulatorOptions } from "./create-simulator.js";
export type { SimulatorFailures, SimulatorProfile } from "./simulator-profile.js";
export { simulatorProfileSchema, simulatorProfilesSchema } from "./simulator-profile-schema.js";
export { startSimulatorFromArgs } from "./start-simulator-from-args.js";
