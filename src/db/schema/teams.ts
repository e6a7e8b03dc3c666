import { integer, jsonb, numeric, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Teams group virtual keys under a shared budget and shared limits. */
export const teams = pgTable("teams", {
  id: uuid("id").primaryKey(),
  name: text("name").notNull().unique(),
  budgetUsd: numeric("budget_usd", { precision: 24, scale: 12 }),
  /** daily | weekly | monthly | lifetime */
  budgetPeriod: text("budget_period"),
  rpm: integer("rpm"),
  tpm: integer("tpm"),
  maxParallel: integer("max_parallel"),
  metadata: jsonb("metadata").$type<Record<string, unknown>>(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
});
