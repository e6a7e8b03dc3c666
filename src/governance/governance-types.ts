/** How often a budget starts again from zero (UTC). */
export type BudgetPeriod = "daily" | "weekly" | "monthly" | "lifetime";

export const BUDGET_PERIODS: readonly BudgetPeriod[] = ["daily", "weekly", "monthly", "lifetime"];

export interface Budget {
  /** Integer pico-USD (1e-12 USD). */
  limitPico: bigint;
  period: BudgetPeriod;
}

export interface Limits {
  rpm: number | null;
  tpm: number | null;
  maxParallel: number | null;
}

export interface Team extends Limits {
  id: string;
  name: string;
  budget: Budget | null;
  metadata: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A virtual key as stored: never its secret, only the hash and a display prefix. */
export interface VirtualKey extends Limits {
  id: string;
  name: string | null;
  keyHash: string;
  keyPrefix: string;
  /** After a rotation: the hash of the secret before, accepted until previousKeyExpiresAt. */
  previousKeyHash: string | null;
  previousKeyExpiresAt: Date | null;
  teamId: string | null;
  /** Globs over model group names and aliases; empty = every model. */
  allowedModels: string[];
  budget: Budget | null;
  /** Applies to each end user (`user` of a request) separately. */
  endUserBudget: Budget | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  tags: string[];
  /** May run only the GraphQL operations of the safelist (config `server.graphql.safelist`), and no /v1 door. */
  safelistOnly: boolean;
  metadata: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewTeam = Omit<Team, "createdAt" | "updatedAt">;
export type NewVirtualKey = Omit<VirtualKey, "createdAt" | "updatedAt" | "revokedAt" | "previousKeyHash" | "previousKeyExpiresAt">;
export type VirtualKeyChanges = Partial<
  Pick<
    VirtualKey,
    | "name"
    | "teamId"
    | "allowedModels"
    | "budget"
    | "endUserBudget"
    | "rpm"
    | "tpm"
    | "maxParallel"
    | "expiresAt"
    | "tags"
    | "safelistOnly"
    | "metadata"
    | "revokedAt"
    | "keyHash"
    | "keyPrefix"
    | "previousKeyHash"
    | "previousKeyExpiresAt"
  >
>;
export type TeamChanges = Partial<Pick<Team, "name" | "budget" | "rpm" | "tpm" | "maxParallel" | "metadata">>;

/** What persists keys and teams (src/db implements it). */
export interface GovernanceRepository {
  insertTeam(team: NewTeam, now: Date): Promise<Team>;
  listTeams(): Promise<Team[]>;
  getTeam(id: string): Promise<Team | null>;
  updateTeam(id: string, changes: TeamChanges, now: Date): Promise<Team | null>;
  /**
   * Deletes a team in one transaction: with `revokeKeys` its keys not yet revoked are revoked first;
   * every key of the team is then detached (teamId null). Refused (null result, `activeKeys` > 0)
   * when it still has active keys and `revokeKeys` is false.
   */
  deleteTeam(id: string, options: { revokeKeys: boolean }, now: Date): Promise<{ deleted: boolean; activeKeys: number; keys: VirtualKey[] }>;
  insertKey(key: NewVirtualKey, now: Date): Promise<VirtualKey>;
  updateKey(id: string, changes: VirtualKeyChanges, now: Date): Promise<VirtualKey | null>;
  getKey(id: string): Promise<VirtualKey | null>;
  /** The key whose current secret, or previous secret after a rotation, has this hash. */
  getKeyByHash(hash: string): Promise<VirtualKey | null>;
  listKeys(): Promise<VirtualKey[]>;
  /** Keys and teams changed after `since` (other instances' revocations reach this one through it). */
  changedSince(since: Date): Promise<{ keys: VirtualKey[]; teams: Team[] }>;
  /** Exact spend in pico-USD of the recorded calls of a key, a team or a key's end user since a moment. */
  spentSince(owner: SpendOwner, since: Date): Promise<bigint>;
}

export type SpendOwner = { keyId: string; endUser?: string } | { teamId: string };
