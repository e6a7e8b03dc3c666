import type { VirtualKey } from "../governance-types.js";

/** A live virtual key with no limits, team or tags (id `k1`, hash `h`, created at the epoch), with `overrides` on top. */
export function makeVirtualKey(overrides: Partial<VirtualKey> = {}): VirtualKey {
  return {
    id: "k1",
    name: null,
    keyHash: "h",
    keyPrefix: "sk-sy-abc",
    previousKeyHash: null,
    previousKeyExpiresAt: null,
    teamId: null,
    allowedModels: [],
    budget: null,
    endUserBudget: null,
    rpm: null,
    tpm: null,
    maxParallel: null,
    expiresAt: null,
    revokedAt: null,
    tags: [],
    safelistOnly: false,
    metadata: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}
