/**
 * A provider simulator speaking OpenAI's chat-completions wire format (WIRE.md §1), for the demo,
 * tests and benchmarks. Routes:
 *   POST /v1/chat/completions            default profile
 *   POST /p/{profile}/v1/chat/completions a named profile (404 model_not_found if unknown)
 *   GET  /v1/models, /p/{profile}/v1/models
 * Answers are a deterministic function of (seed, profile, last user message, per-profile request
 * number); failures are drawn from the same seeded stream. Standalone: `node dist/src/simulator/cli.js`.
 */
export { createSimulator, type RecordedRequest, type Simulator, type SimulatorOptions } from "./create-simulator.js";
export type { SimulatorFailures, SimulatorProfile } from "./simulator-profile.js";
export { simulatorProfileSchema, simulatorProfilesSchema } from "./simulator-profile-schema.js";
export { startSimulatorFromArgs } from "./start-simulator-from-args.js";
