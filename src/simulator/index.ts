export { createSimulator, type RecordedRequest, type Simulator, type SimulatorOptions } from "./create-simulator.js";
export type { SimulatorFailures, SimulatorProfile } from "./simulator-profile.js";
export { simulatorProfileSchema, simulatorProfilesSchema } from "./simulator-profile-schema.js";
export { startSimulatorFromArgs } from "./start-simulator-from-args.js";
