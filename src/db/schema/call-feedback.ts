import { bigserial, doublePrecision, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
/**
 * Scores callers give a call after the fact (`recordFeedback`); a call may get several.
 * `call_id` names the call without a foreign key (`calls` is partitioned and its key is
 * (id, created_at)): recordFeedback checks the call exists, and call retention deletes feedback
 * by `recorded_at` at the calls' horizon.
 */
export const callFeedback = pgTable(
  "call_feedback",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    callId: uuid("call_id").notNull(),
    score: doublePrecision("score").notNull(),
    comment: text("comment"),
    /** The virtual key that recorded it; NULL for the master key or open dev mode. */
    keyId: text("key_id"),
    recordedAt: timestamp("recorded_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (table) => [index("call_feedback_call_id_idx").on(table.callId)],
);
