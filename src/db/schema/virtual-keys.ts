import { boolean, index, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { teams } from "./teams.js";

/**
 * Virtual keys. The secret itself is never stored: only its SHA-256 (`key_hash`, enough for a
 * random 256-bit secret) and a short display prefix.
 */
export const virtualKeys = pgTable(
  "virtual_keys",
  {
    id: uuid("id").primaryKey(),
    name: text("name"),
    keyHash: text("key_hash").notNull().unique(),
    keyPrefix: text("key_prefix").notNull(),
    /** After rotateVirtualKey: the secret before, still accepted until `previous_key_expires_at`. */
    previousKeyHash: text("previous_key_hash").unique(),
    previousKeyExpiresAt: timestamp("previous_key_expires_at", { withTimezone: true, mode: "date" }),
    teamId: uuid("team_id").references(() => teams.id),
    /** Globs over model group names and aliases; empty = every model. */
    allowedModels: jsonb("allowed_models").$type<string[]>().notNull(),
    budgetUsd: numeric("budget_usd", { precision: 24, scale: 12 }),
    /** daily | weekly | monthly | lifetime */
    budgetPeriod: text("budget_period"),
    /** A budget for each end user (`user` of a request) of this key. */
    endUserBudgetUsd: numeric("end_user_budget_usd", { precision: 24, scale: 12 }),
    endUserBudgetPeriod: text("end_user_budget_period"),
    rpm: integer("rpm"),
    tpm: integer("tpm"),
    maxParallel: integer("max_parallel"),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    tags: jsonb("tags").$type<string[]>().notNull(),
    /** May run only the GraphQL operations of the safelist (server.graphql.safelist). */
    safelistOnly: boolean("safelist_only").notNull().default(false),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (table) => [index("virtual_keys_updated_at_idx").on(table.updatedAt), index("virtual_keys_team_id_idx").on(table.teamId)],
);
