export type * from "./state-store.js";
export { createMemoryStateStore } from "./create-memory-state-store.js";
