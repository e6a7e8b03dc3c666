import { describe, expect, it } from "vitest";
import { STRATEGY_TABLE } from "./index.js";

describe("STRATEGY_TABLE", () => {
  it("knows the config's strategy names and nothing inherited (a client's routing.strategy is looked up here)", () => {
    expect(Object.keys(STRATEGY_TABLE).sort()).toEqual(["cost", "latency", "least-busy", "round-robin", "usage", "weighted"]);
    for (const name of ["valueOf", "toString", "constructor", "__proto__", "hasOwnProperty"]) expect(STRATEGY_TABLE[name]).toBeUndefined();
  });
});
