import { describe, expect, it } from "vitest";
import type { RoutingView } from "../health/health-types.js";
import type { Deployment } from "../model-group.js";
import type { Candidate } from "./strategy.js";
import { mostHeadroom } from "./most-headroom.js";

const adapter = { provider: "fake", chat: () => Promise.reject(new Error("unused")), stream: () => Promise.reject(new Error("unused")) };

function candidate(id: string, limits: Partial<Deployment>, state: Partial<RoutingView> = {}, weight = 1): Candidate {
  return {
    deployment: { id, provider: "fake", model: id, weight, adapter, ...limits },
    state: { inFlight: 0, lastSampleAt: 0, rpmUsed: 0, tpmUsed: 0, ...state },
  };
}

const pick = (candidates: Candidate[], promptTokens = 0, random = () => 0) => mostHeadroom(candidates, { random, promptTokens, turn: 0 }).deployment.id;

describe("mostHeadroom", () => {
  it("takes the deployment furthest from its own request and token counts", () => {
    const busy = candidate("busy", { rpm: 100, tpm: 10_000 }, { rpmUsed: 80 });
    const spare = candidate("spare", { rpm: 100, tpm: 10_000 }, { rpmUsed: 10 });
    expect(pick([busy, spare])).toBe("spare");
    // Token headroom counts this prompt: 9,000 used of 10,000 leaves less than 20 of 100 requests.
    const tokens = candidate("tokens", { rpm: 100, tpm: 10_000 }, { rpmUsed: 10, tpmUsed: 8_000 });
    expect(pick([tokens, candidate("requests", { rpm: 100 }, { rpmUsed: 80 })], 1_000)).toBe("requests");
    expect(pick([tokens, candidate("requests", { rpm: 100 }, { rpmUsed: 80 })], 0)).toBe("tokens");
  });

  it("reads the provider's remaining requests and tokens, and counts a deployment without limits as free", () => {
    const headers = candidate("headers", { rpm: 100 }, { headroom: { limitRequests: 50, remainingRequests: 5 } });
    const ours = candidate("ours", { rpm: 100 }, { rpmUsed: 50 });
    expect(pick([headers, ours])).toBe("ours");
    const tokenHeaders = candidate("token-headers", {}, { headroom: { limitTokens: 1_000, remainingTokens: 900 } });
    expect(pick([tokenHeaders, ours], 500)).toBe("ours"); // (900 - 500) / 1000 < 1 - 51/100
    expect(pick([ours, candidate("unlimited", {})])).toBe("unlimited");
  });

  it("breaks ties by weight", () => {
    const light = candidate("light", { rpm: 100 }, {}, 1);
    const heavy = candidate("heavy", { rpm: 100 }, {}, 3);
    expect(pick([light, heavy], 0, () => 0.2)).toBe("light");
    expect(pick([light, heavy], 0, () => 0.5)).toBe("heavy");
  });
});
