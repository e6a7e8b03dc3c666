import { asc, inArray } from "drizzle-orm";
import type { DrizzleDb } from "./database.js";
import { callFeedback } from "./schema/index.js";

export interface FeedbackRow {
  id: number;
  callId: string;
  score: number;
  comment: string | null;
  keyId: string | null;
  recordedAt: Date;
}

export interface FeedbackRepository {
  /** Stores one score for a stored call (the caller checked it may see the call). */
  record(input: { callId: string; score: number; comment: string | null; keyId: string | null }): Promise<FeedbackRow>;
  /** Feedback per call id, oldest first; every asked id is a key. For DataLoader batching. */
  byCalls(callIds: readonly string[]): Promise<Map<string, FeedbackRow[]>>;
}

export function createFeedbackRepository(db: DrizzleDb): FeedbackRepository {
  return {
    async record(input) {
      const [row] = await db.insert(callFeedback).values(input).returning();
      return row!;
    },
    async byCalls(callIds) {
      const found = new Map<string, FeedbackRow[]>(callIds.map((id) => [id, []]));
      const lower = new Map(callIds.map((id) => [id.toLowerCase(), id]));
      if (callIds.length === 0) return found;
      const rows = await db
        .select()
        .from(callFeedback)
        .where(inArray(callFeedback.callId, [...lower.keys()]))
        .orderBy(asc(callFeedback.callId), asc(callFeedback.id));
      for (const row of rows) found.get(lower.get(row.callId) ?? row.callId)?.push(row);
      return found;
    },
  };
}
