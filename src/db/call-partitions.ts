import { sql } from "drizzle-orm";
import type { DrizzleDb } from "./database.js";
import { queryRows } from "./query-rows.js";

const DAY_MS = 86_400_000;

/**
 * The partitioned call-log tables and the column each is partitioned by (migration 0013). Each has
 * a DEFAULT partition, `<table>_default`, that takes rows no range partition covers, so an insert
 * for an unexpected time is stored, never refused.
 */
export const PARTITIONED_CALL_TABLES = [
  { table: "calls", column: "created_at" },
  { table: "call_attempts", column: "started_at" },
] as const;

export type PartitionedCallTable = (typeof PARTITIONED_CALL_TABLES)[number]["table"];

/** One range partition: rows with `from ≤ time < to` (epoch ms; ±Infinity for MINVALUE / MAXVALUE). */
export interface CallPartition {
  table: PartitionedCallTable;
  name: string;
  from: number;
  to: number;
}

/** Serializes partition changes across gateway instances (any fixed key works; this one spells "calls"). */
const PARTITION_LOCK_KEY = 0x63616c6c;

/** The range partitions of the call-log tables (not the DEFAULT ones), oldest first per table. */
export async function listCallPartitions(db: DrizzleDb): Promise<CallPartition[]> {
  // Postgres prints a bound as FROM ('2026-12-06 00:00:00+00') TO (…) or FROM (MINVALUE) …; it parses its own text back.
  const rows = await queryRows<{ table: PartitionedCallTable; name: string; from: string | number | null; to: string | number | null }>(
    db,
    sql`
    select parent.relname as "table", child.relname as "name",
      case when b[1] = 'MINVALUE' then null else extract(epoch from trim(both '''' from b[1])::timestamptz) * 1000 end as "from",
      case when b[2] = 'MAXVALUE' then null else extract(epoch from trim(both '''' from b[2])::timestamptz) * 1000 end as "to"
    from pg_inherits i
    join pg_class parent on parent.oid = i.inhparent
    join pg_class child on child.oid = i.inhrelid
    cross join lateral regexp_match(pg_get_expr(child.relpartbound, child.oid), 'FROM \\((.+)\\) TO \\((.+)\\)') as b
    where parent.relnamespace = current_schema()::regnamespace and parent.relname in ('calls', 'call_attempts')
      and b is not null -- the DEFAULT partition has no range
    order by 1, 3 nulls first`,
  );
  return rows.map((row) => ({
    table: row.table,
    name: row.name,
    from: row.from === null ? -Infinity : Number(row.from),
    to: row.to === null ? Infinity : Number(row.to),
  }));
}

/**
 * The ranges no existing partition covers from the grain holding `start` to the grain holding `end`
 * (both included), cut at multiples of `grainMs` from the epoch (UTC midnights for whole days).
 * Pure, so the gap arithmetic is tested on its own.
 */
export function missingPartitionRanges(existing: ReadonlyArray<{ from: number; to: number }>, start: number, end: number, grainMs: number): Array<{ from: number; to: number }> {
  const missing: Array<{ from: number; to: number }> = [];
  const sorted = [...existing].sort((a, b) => a.from - b.from);
  let cursor = Math.floor(start / grainMs) * grainMs;
  const stop = (Math.floor(end / grainMs) + 1) * grainMs;
  while (cursor < stop) {
    const covering = sorted.find((range) => range.from <= cursor && cursor < range.to);
    if (covering) {
      cursor = covering.to;
      continue;
    }
    const next = sorted.find((range) => range.from > cursor);
    const slotEnd = Math.min((Math.floor(cursor / grainMs) + 1) * grainMs, next?.from ?? Infinity, stop);
    missing.push({ from: cursor, to: slotEnd });
    cursor = slotEnd;
  }
  return missing;
}

/** `calls_p20261206` for a range starting at a UTC midnight, `calls_p20261206_1330` otherwise. */
export function callPartitionName(table: PartitionedCallTable, from: number): string {
  const iso = new Date(from).toISOString();
  const day = iso.slice(0, 10).replaceAll("-", "");
  const time = iso.slice(11, 19).replaceAll(":", "");
  return `${table}_p${day}${time === "000000" ? "" : `_${time.replace(/00$/, "")}`}`;
}

export interface EnsureCallPartitionsOptions {
  /** Covered from the partition holding this instant … */
  from: Date;
  /** … to the one holding this instant. */
  to: Date;
  /** Width of one new partition in days (default 1). */
  partitionDays?: number;
}

/**
 * Creates the missing partitions of both call-log tables over [from, to), under an advisory lock so
 * instances starting together do not race. Rows that already went to a DEFAULT partition for a new
 * range (the gateway was down over midnight, a clock was off) are moved into it in the same
 * transaction. Resolves to the names created.
 */
export async function ensureCallPartitions(db: DrizzleDb, options: EnsureCallPartitionsOptions): Promise<string[]> {
  const grainMs = Math.max(1, options.partitionDays ?? 1) * DAY_MS;
  const created: string[] = [];
  const existing = await listCallPartitions(db);
  for (const { table, column } of PARTITIONED_CALL_TABLES) {
    const ranges = missingPartitionRanges(existing.filter((p) => p.table === table), options.from.getTime(), options.to.getTime(), grainMs);
    for (const range of ranges) {
      const name = callPartitionName(table, range.from);
      const made = await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${PARTITION_LOCK_KEY})`);
        // Another instance may have made it while this one waited for the lock.
        const now = (await listCallPartitions(tx)).filter((p) => p.table === table && p.from < range.to && range.from < p.to);
        if (now.length > 0) return false;
        const parent = sql.identifier(table);
        const partition = sql.identifier(name);
        const fromText = sql.raw(`'${new Date(range.from).toISOString()}'`);
        const toText = sql.raw(`'${new Date(range.to).toISOString()}'`);
        const defaultPartition = sql.identifier(`${table}_default`);
        const time = sql.identifier(column);
        const inDefault = await queryRows<{ found: boolean }>(
          tx,
          sql`select exists (select 1 from ${defaultPartition} where ${time} >= ${fromText}::timestamptz and ${time} < ${toText}::timestamptz) as "found"`,
        );
        if (inDefault[0]?.found !== true) {
          await tx.execute(sql`create table ${partition} partition of ${parent} for values from (${fromText}) to (${toText})`);
        } else {
          // A partition cannot be created over rows the DEFAULT partition holds: move them, then attach.
          await tx.execute(sql`create table ${partition} (like ${parent} including defaults)`);
          await tx.execute(sql`
            with moved as (delete from ${defaultPartition} where ${time} >= ${fromText}::timestamptz and ${time} < ${toText}::timestamptz returning *)
            insert into ${partition} select * from moved`);
          await tx.execute(sql`alter table ${parent} attach partition ${partition} for values from (${fromText}) to (${toText})`);
        }
        return true;
      });
      if (made) created.push(name);
    }
  }
  return created;
}

/**
 * Detaches and drops every range partition of the call-log tables wholly older than `before`
 * (its upper bound ≤ before), one transaction per partition. `lockTimeoutMs` bounds the wait for
 * the parent's lock: an ALTER waiting behind a long analyst query would hold up every insert
 * queued behind it, so it gives up instead and the next sweep tries again. Resolves to the names dropped.
 */
export async function dropCallPartitionsBefore(db: DrizzleDb, before: Date, options: { lockTimeoutMs?: number } = {}): Promise<string[]> {
  const lockTimeoutMs = Math.max(1, Math.floor(options.lockTimeoutMs ?? 5_000));
  const dropped: string[] = [];
  for (const partition of await listCallPartitions(db)) {
    if (partition.to > before.getTime()) continue;
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local lock_timeout = ${lockTimeoutMs}`));
      await tx.execute(sql`alter table ${sql.identifier(partition.table)} detach partition ${sql.identifier(partition.name)}`);
      await tx.execute(sql`drop table ${sql.identifier(partition.name)}`);
    });
    dropped.push(partition.name);
  }
  return dropped;
}
