export type * from "./state-store.js";
export { createMemoryStateStore } from "./create-memory-state-store.js";
export { createRedisStateStore, type RedisStateStore, type RedisStateStoreOptions } from "./create-redis-state-store.js";
export { StateStoreError } from "./state-store-error.js";
export { createRedisHealthShare, type RedisHealthShare, type RedisHealthShareOptions } from "./create-redis-health-share.js";
