import { describe, expect, it, vi } from "vitest";
import type { Principal } from "../governance/principal.js";
import { withLazyLoaders } from "./loaders.js";
import type { GraphQLServices } from "./services.js";

describe("withLazyLoaders", () => {
  it("keeps the context's fields and builds one set of loaders, on the given services, when first read", async () => {
    const byCalls = vi.fn(async (ids: readonly string[]) => new Map(ids.map((id) => [id, [{ callId: id, score: 1 }]])));
    const services = { analytics: { keyTeams: {} }, feedback: { byCalls } } as unknown as GraphQLServices;
    const principal = { kind: "admin", open: true } as Principal;
    const signal = new AbortController().signal;
    const context = withLazyLoaders({ services, principal, signal }, services);

    expect(context.services).toBe(services);
    expect(context.principal).toBe(principal);
    expect(context.signal).toBe(signal);
    const loaders = context.loaders;
    expect(context.loaders).toBe(loaders);
    expect(await loaders.feedbackByCall.load("c1")).toEqual([{ callId: "c1", score: 1 }]);
    // The same set caches across reads: a second load of the key asks the service nothing more.
    expect(await context.loaders.feedbackByCall.load("c1")).toEqual([{ callId: "c1", score: 1 }]);
    expect(byCalls).toHaveBeenCalledTimes(1);
  });

  it("gives each context its own loaders", () => {
    const services = { analytics: { keyTeams: {} } } as unknown as GraphQLServices;
    const principal = { kind: "admin", open: true } as Principal;
    const one = withLazyLoaders({ services, principal }, services);
    const two = withLazyLoaders({ services, principal }, services);
    expect(one.loaders).not.toBe(two.loaders);
  });
});
