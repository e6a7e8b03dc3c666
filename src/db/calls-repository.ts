import { type SQL, and, asc, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { UUID, decodeCallCursor, encodeCallCursor } from "./call-cursor.js";
import { type CallFilter, callFilterToSql } from "./call-filter.js";
import type { AttemptRow, CallRow, CallWithAttempts } from "./call-row.js";
import type { DrizzleDb } from "./database.js";
import { callAttempts, calls } from "./schema/index.js";
import { countCallsFromRollups } from "./totals-from-rollups.js";

export const MAX_PAGE_SIZE = 200;

/** Added to a call's latency when looking for its attempts by start time (a record's clock readings are not one instant). */
const ATTEMPT_WINDOW_SLACK_MS = 60_000;

export interface ListCallsOptions {
  filter?: CallFilter;
  /** Page size, capped at MAX_PAGE_SIZE. */
  first: number;
  /** endCursor of the previous page. */
  after?: string;
  /** Count every matching call (exact, from the rollups, so cheap at any size; skipped when nobody reads it). Default true. */
  withTotal?: boolean;
}

export interface CallPage {
  rows: CallRow[];
  /** One cursor per row (Relay edges): paging `after` any of them continues right after that row. */
  cursors: string[];
  hasNextPage: boolean;
  endCursor: string | null;
  /** Calls matching the filter, ignoring the cursor; null when `withTotal` was false. */
  totalCount: number | null;
}

export interface CallsRepository {
  /** Newest first, keyset-paginated on (created_at, id): rows arriving between pages neither repeat nor hide older ones. */
  listCalls(options: ListCallsOptions): Promise<CallPage>;
  /** The call and its attempts in order, or null (also for an id that is not a UUID). */
  getCall(id: string): Promise<CallWithAttempts | null>;
  /**
   * Attempts per call, in order, keyed by call id (every asked id is a key, empty when none). For DataLoader batching.
   * Calls given with their time and attempt count are looked for only where their attempts started (the partitions of
   * a few minutes), the others in every partition.
   */
  getAttempts(calls: readonly CallRef[]): Promise<Map<string, AttemptRow[]>>;
}

/** A call id, or a call read already: its time, latency and attempt count say which partitions hold its attempts. */
export type CallRef = string | { id: string; createdAt: Date; latencyMs: number; attemptCount: number };

// The cursor carries created_at to the microsecond: a JS Date would round rows written by
// other clients (default now()) and the next page would repeat or skip them.
const cursorTimestamp = sql<string>`to_char(${calls.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface CallsRepositoryOptions {
  /** Calls before this instant are not shown (call retention); absent: every stored call. */
  horizon?: () => Date;
}

export function createCallsRepository(db: DrizzleDb, options: CallsRepositoryOptions = {}): CallsRepository {
  /** The filter with its start moved up to the retention horizon, if that is later. */
  const retained = (filter: CallFilter | undefined): CallFilter | undefined => {
    const horizon = options.horizon?.();
    if (horizon === undefined || (filter?.from !== undefined && filter.from.getTime() >= horizon.getTime())) return filter;
    return { ...filter, from: horizon };
  };
  /** `during`: only attempts that started in it (names the partitions to read; call_attempts is partitioned by started_at). */
  const attemptsOf = async (ids: readonly string[], during?: { from: Date; to: Date }): Promise<Map<string, AttemptRow[]>> => {
    const stored = new Map<string, AttemptRow[]>();
    const valid = [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
    if (valid.length > 0) {
      const rows = await db
        .select()
        .from(callAttempts)
        .where(
          during === undefined
            ? inArray(callAttempts.callId, valid)
            : and(inArray(callAttempts.callId, valid), gte(callAttempts.startedAt, during.from), lte(callAttempts.startedAt, during.to)),
        )
        .orderBy(asc(callAttempts.callId), asc(callAttempts.attemptIndex));
      for (const { attemptIndex, ...rest } of rows) {
        const list = stored.get(rest.callId) ?? [];
        list.push({ ...rest, index: attemptIndex });
        stored.set(rest.callId, list);
      }
    }
    // Postgres prints UUIDs in lower case; answer under the ids as they were asked.
    return new Map(ids.map((id) => [id, stored.get(id.toLowerCase()) ?? []]));
  };

  /**
   * A call's attempts start while it runs: they are looked for there first (one or two partitions),
   * and everywhere only for calls where that finds fewer than the call made (a clock stepped back, say).
   */
  const attemptsOfCalls = async (refs: readonly CallRef[]): Promise<Map<string, AttemptRow[]>> => {
    const ids = refs.map((ref) => (typeof ref === "string" ? ref : ref.id));
    const known = refs.filter((ref): ref is Exclude<CallRef, string> => typeof ref !== "string" && UUID.test(ref.id));
    if (known.length === 0 || known.length < refs.length) return attemptsOf(ids);
    let from = Infinity;
    let to = -Infinity;
    for (const call of known) {
      from = Math.min(from, call.createdAt.getTime());
      to = Math.max(to, call.createdAt.getTime() + call.latencyMs + ATTEMPT_WINDOW_SLACK_MS);
    }
    const found = await attemptsOf(ids, { from: new Date(from), to: new Date(to) });
    const short = known.filter((call) => (found.get(call.id)?.length ?? 0) < call.attemptCount).map((call) => call.id);
    if (short.length > 0) for (const [id, attempts] of await attemptsOf(short)) found.set(id, attempts);
    return found;
  };

  return {
    async listCalls({ filter: asked, first, after, withTotal = true }) {
      // One horizon for the page and its count, so they agree.
      const filter = retained(asked);
      const limit = Math.max(0, Math.min(MAX_PAGE_SIZE, Math.floor(Number.isFinite(first) ? first : 0)));
      const where = callFilterToSql(filter);
      let pageWhere: SQL | undefined = where;
      if (after !== undefined) {
        const cursor = decodeCallCursor(after);
        pageWhere = and(where, sql`(${calls.createdAt}, ${calls.id}) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`);
      }
      const [page, count] = await Promise.all([
        db
          .select({ row: calls, cursorTimestamp })
          .from(calls)
          .where(pageWhere)
          .orderBy(desc(calls.createdAt), desc(calls.id))
          .limit(limit + 1),
        withTotal ? countCallsFromRollups(db, filter) : Promise.resolve(null),
      ]);
      const visible = page.slice(0, limit);
      const cursors = visible.map((item) => encodeCallCursor({ createdAt: item.cursorTimestamp, id: item.row.id }));
      return {
        rows: visible.map((item) => toCallRow(item.row)),
        cursors,
        hasNextPage: page.length > limit,
        endCursor: cursors.at(-1) ?? null,
        totalCount: count,
      };
    },

    async getCall(id) {
      if (!UUID.test(id)) return null;
      const [row] = await db.select().from(calls).where(eq(calls.id, id)).limit(1);
      const horizon = options.horizon?.();
      if (!row || (horizon !== undefined && row.createdAt.getTime() < horizon.getTime())) return null;
      const attempts = await attemptsOfCalls([row]);
      return { ...toCallRow(row), attempts: attempts.get(row.id) ?? [] };
    },

    getAttempts: attemptsOfCalls,
  };
}

function toCallRow(row: typeof calls.$inferSelect): CallRow {
  const { routingPolicy, routingScore, routingThreshold, routingTier, routingReason, escalatedFrom, ...rest } = row;
  const routing =
    routingPolicy && routingTier
      ? { policy: routingPolicy, score: routingScore, threshold: routingThreshold, tier: routingTier, reason: routingReason ?? "" }
      : null;
  return { ...rest, metadata: rest.metadata ?? null, routing, escalatedFrom };
}
