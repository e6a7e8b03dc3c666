import { bigserial, doublePrecision, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { calls } from "./calls.js";

/** Scores callers give a call after the fact (`recordFeedback`); a call may get several. */
export const callFeedback = pgTable(
  "call_feedback",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    callId: uuid("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "cascade" }),
    score: doublePrecision("score").notNull(),
    comment: text("comment"),
    /** The virtual key that recorded it; NULL for the master key or open dev mode. */
    keyId: text("key_id"),
    recordedAt: timestamp("recorded_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (table) => [index("call_feedback_call_id_idx").on(table.callId)],
);
