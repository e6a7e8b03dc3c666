import { createMemoryStateStore } from "../../src/state/index.js";
import { describeStateStoreContract } from "./state-store-contract.js";

// One process: both "instances" are the same store.
describeStateStoreContract("createMemoryStateStore", async () => {
  const store = createMemoryStateStore();
  return [store, store];
});
