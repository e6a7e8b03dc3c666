import { randomUUID } from "node:crypto";
import { badInput } from "../core/index.js";
import type { KeyDirectory } from "./create-key-directory.js";
import type { Budget, GovernanceRepository, Limits, Team, TeamChanges, VirtualKey, VirtualKeyChanges } from "./governance-types.js";
import { generateKeySecret, type KeySecret } from "./key-secret.js";

export interface TeamSpec extends Partial<Limits> {
  name: string;
  budget?: Budget | null;
  metadata?: Record<string, unknown> | null;
}

export interface KeySpec extends Partial<Limits> {
  name?: string | null;
  teamId?: string | null;
  allowedModels?: string[];
  budget?: Budget | null;
  endUserBudget?: Budget | null;
  expiresAt?: Date | null;
  tags?: string[];
  safelistOnly?: boolean;
  metadata?: Record<string, unknown> | null;
}

export interface DeletedTeam {
  team: Team;
  /** Keys that were active and were revoked with the team (revokeKeys: true). */
  revokedKeys: number;
  /** Every key of the team, now without a team (revoked ones included). */
  detachedKeys: number;
}

export interface RotatedKey {
  key: VirtualKey;
  /** The new secret, returned this once. */
  secret: string;
  /** Until when the secret before still works. */
  previousSecretValidUntil: Date;
}

export interface KeyAdmin {
  createTeam(spec: TeamSpec): Promise<Team>;
  /** Fields left out (undefined) stay as they are; null clears a limit, the budget or the metadata. */
  updateTeam(id: string, changes: Partial<TeamSpec>): Promise<Team>;
  /**
   * Deletes a team. A team with active keys is refused unless `revokeKeys` is true: then they are
   * revoked with it (a key never silently loses its team's budget and limits). Every key of the
   * team, revoked ones included, is left without a team; its calls keep their history.
   */
  deleteTeam(id: string, options?: { revokeKeys?: boolean }): Promise<DeletedTeam>;
  /** A new secret for the key; the one before keeps working for `graceSeconds` (default: keys.rotationGraceSeconds). */
  rotateKey(id: string, options?: { graceSeconds?: number }): Promise<RotatedKey>;
  /** The secret is returned here and never again. */
  createKey(spec: KeySpec): Promise<{ key: VirtualKey; secret: string }>;
  updateKey(id: string, changes: KeySpec): Promise<VirtualKey>;
  /** Takes effect at once on this instance (open WebSockets included), within a refresh period on others. */
  revokeKey(id: string): Promise<VirtualKey>;
  listKeys(): Promise<VirtualKey[]>;
  listTeams(): Promise<Team[]>;
}

export interface KeyAdminOptions {
  repository: GovernanceRepository;
  directory: KeyDirectory;
  now?: () => Date;
  newSecret?: () => KeySecret;
  newId?: () => string;
  /** How long the secret before a rotation keeps working (default 86,400 s, keys.rotationGraceSeconds). */
  rotationGraceSeconds?: number;
}

/** Creating, changing and revoking keys and teams (admin only; the resolvers check who asks). */
export function createKeyAdmin(options: KeyAdminOptions): KeyAdmin {
  const { repository, directory } = options;
  const now = options.now ?? (() => new Date());
  const newSecret = options.newSecret ?? (() => generateKeySecret());
  const newId = options.newId ?? randomUUID;
  const rotationGraceSeconds = options.rotationGraceSeconds ?? 86_400;

  const checkTeam = async (teamId: string | null | undefined) => {
    if (teamId === undefined || teamId === null) return;
    const team = directory.team(teamId) ?? (await repository.getTeam(teamId));
    if (!team) throw badInput(`teamId: no team "${teamId}"`, { field: "teamId" });
  };

  return {
    async createTeam(spec) {
      validateLimits(spec);
      validateBudget("budget", spec.budget);
      if (!spec.name.trim()) throw badInput("name: must not be empty", { field: "name" });
      if ((await repository.listTeams()).some((t) => t.name === spec.name)) throw badInput(`name: a team "${spec.name}" exists already`, { field: "name" });
      const team = await repository.insertTeam(
        { id: newId(), name: spec.name, budget: spec.budget ?? null, rpm: spec.rpm ?? null, tpm: spec.tpm ?? null, maxParallel: spec.maxParallel ?? null, metadata: spec.metadata ?? null },
        now(),
      );
      directory.remember({ team });
      return team;
    },

    async updateTeam(id, spec) {
      validateLimits(spec);
      validateBudget("budget", spec.budget);
      const existing = directory.team(id) ?? (await repository.getTeam(id));
      if (!existing) throw badInput(`id: no team "${id}"`, { field: "id" });
      const changes: TeamChanges = {};
      if (spec.name !== undefined) {
        if (!spec.name.trim()) throw badInput("name: must not be empty", { field: "name" });
        if ((await repository.listTeams()).some((t) => t.name === spec.name && t.id !== id)) throw badInput(`name: a team "${spec.name}" exists already`, { field: "name" });
        changes.name = spec.name;
      }
      for (const field of ["budget", "rpm", "tpm", "maxParallel", "metadata"] as const) {
        if (spec[field] !== undefined) (changes as Record<string, unknown>)[field] = spec[field];
      }
      const team = await repository.updateTeam(id, changes, now());
      if (!team) throw badInput(`id: no team "${id}"`, { field: "id" });
      directory.remember({ team });
      return team;
    },

    async deleteTeam(id, options = {}) {
      const team = directory.team(id) ?? (await repository.getTeam(id));
      if (!team) throw badInput(`id: no team "${id}"`, { field: "id" });
      const result = await repository.deleteTeam(id, { revokeKeys: options.revokeKeys === true }, now());
      if (!result.deleted && result.activeKeys > 0) {
        throw badInput(
          `id: team "${team.name}" has ${result.activeKeys} active key${result.activeKeys === 1 ? "" : "s"}: move ${result.activeKeys === 1 ? "it" : "them"} to another team (updateVirtualKey teamId) or pass revokeKeys: true`,
          { field: "id" },
        );
      }
      if (!result.deleted) throw badInput(`id: no team "${id}"`, { field: "id" });
      for (const key of result.keys) directory.remember({ key });
      directory.forgetTeam(id);
      return { team, revokedKeys: result.activeKeys, detachedKeys: result.keys.length };
    },

    async rotateKey(id, options = {}) {
      const graceSeconds = options.graceSeconds ?? rotationGraceSeconds;
      if (!Number.isInteger(graceSeconds) || graceSeconds < 0) throw badInput("graceSeconds: must be a whole number ≥ 0", { field: "graceSeconds" });
      const existing = directory.key(id) ?? (await repository.getKey(id));
      if (!existing) throw badInput(`id: no virtual key "${id}"`, { field: "id" });
      if (existing.revokedAt !== null) throw badInput(`id: virtual key "${id}" is revoked; a revoked key cannot be rotated`, { field: "id" });
      const secret = newSecret();
      const at = now();
      const previousSecretValidUntil = new Date(at.getTime() + graceSeconds * 1000);
      const key = await repository.updateKey(
        id,
        { keyHash: secret.hash, keyPrefix: secret.prefix, previousKeyHash: existing.keyHash, previousKeyExpiresAt: previousSecretValidUntil },
        at,
      );
      if (!key) throw badInput(`id: no virtual key "${id}"`, { field: "id" });
      directory.remember({ key });
      return { key, secret: secret.secret, previousSecretValidUntil };
    },

    async createKey(spec) {
      validateKeySpec(spec);
      await checkTeam(spec.teamId);
      const secret = newSecret();
      const key = await repository.insertKey(
        {
          id: newId(),
          name: spec.name ?? null,
          keyHash: secret.hash,
          keyPrefix: secret.prefix,
          teamId: spec.teamId ?? null,
          allowedModels: spec.allowedModels ?? [],
          budget: spec.budget ?? null,
          endUserBudget: spec.endUserBudget ?? null,
          rpm: spec.rpm ?? null,
          tpm: spec.tpm ?? null,
          maxParallel: spec.maxParallel ?? null,
          expiresAt: spec.expiresAt ?? null,
          tags: spec.tags ?? [],
          safelistOnly: spec.safelistOnly ?? false,
          metadata: spec.metadata ?? null,
        },
        now(),
      );
      directory.remember({ key });
      return { key, secret: secret.secret };
    },

    async updateKey(id, spec) {
      validateKeySpec(spec);
      await checkTeam(spec.teamId);
      const changes: VirtualKeyChanges = {};
      for (const field of ["name", "teamId", "allowedModels", "budget", "endUserBudget", "rpm", "tpm", "maxParallel", "expiresAt", "tags", "safelistOnly", "metadata"] as const) {
        if (spec[field] !== undefined) (changes as Record<string, unknown>)[field] = spec[field];
      }
      const key = await repository.updateKey(id, changes, now());
      if (!key) throw badInput(`id: no virtual key "${id}"`, { field: "id" });
      directory.remember({ key });
      return key;
    },

    async revokeKey(id) {
      const existing = directory.key(id) ?? (await repository.getKey(id));
      if (!existing) throw badInput(`id: no virtual key "${id}"`, { field: "id" });
      if (existing.revokedAt !== null) return existing;
      const key = await repository.updateKey(id, { revokedAt: now() }, now());
      directory.remember({ key: key! });
      return key!;
    },

    listKeys: () => repository.listKeys(),
    listTeams: () => repository.listTeams(),
  };
}

function validateKeySpec(spec: KeySpec): void {
  validateLimits(spec);
  validateBudget("budget", spec.budget);
  validateBudget("endUserBudget", spec.endUserBudget);
  for (const glob of spec.allowedModels ?? []) {
    if (!glob.trim()) throw badInput("allowedModels: a pattern must not be empty", { field: "allowedModels" });
  }
}

function validateLimits(limits: Partial<Limits>): void {
  for (const field of ["rpm", "tpm", "maxParallel"] as const) {
    const value = limits[field];
    if (value !== undefined && value !== null && (!Number.isInteger(value) || value < 0)) {
      throw badInput(`${field}: must be a whole number ≥ 0`, { field });
    }
  }
}

function validateBudget(field: string, budget: Budget | null | undefined): void {
  if (budget && budget.limitPico < 0n) throw badInput(`${field}: must not be negative`, { field });
}
