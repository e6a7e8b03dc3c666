import { type SQL, sql } from "drizzle-orm";
import { SKETCH_INDEX_SQL } from "./latency-sketch.js";
import { sketchFromBucketsSql } from "./sketch-codec.js";
import { ANY_STATUS, ROLLUP_BREAKDOWNS, ROLLUP_DIMENSIONS, type RollupBreakdownId } from "./rollup-breakdowns.js";
/** A call's tags (metadata.tags), one row each; a call without tags gets one NULL tag. */
const TAG_JOIN = `left join lateral jsonb_array_elements_text(
    case when jsonb_typeof(calls.metadata -> 'tags') = 'array' then calls.metadata -> 'tags' else '[]'::jsonb end) as call_tags(tag) on true`;

/**
 * Aggregates raw `calls` matching `where` into rows shaped like `call_rollups` at one grain
 * (minutes): the writer's aggregation done by the server. Used to seed and backfill rollups,
 * for the sub-minute edges of a usage range, and (withTag) for reports by tag, which rollups
 * do not carry.
 */
export function selectRollupsFromCalls(grain: number, where: SQL | undefined, options: { withTag?: boolean; breakdown?: RollupBreakdownId } = {}): SQL {
  const breakdown = options.breakdown ?? 0;
  const kept = ROLLUP_BREAKDOWNS.find((candidate) => candidate.id === breakdown)?.dimensions;
  const dimensions = ROLLUP_DIMENSIONS.map((dimension) =>
    kept?.has(dimension) ? dimension : dimension === "status" ? `'${ANY_STATUS}'::text as status` : `null::text as ${dimension}`,
  ).join(", ");
  const groupDimensions = ROLLUP_DIMENSIONS.filter((dimension) => kept?.has(dimension)).join(", ");
  const bucket = `to_timestamp(floor(extract(epoch from created_at) / ${grain * 60}) * ${grain * 60})`;
  const sketch = (column: string) =>
    sketchFromBucketsSql(`(select ${SKETCH_INDEX_SQL("v")} as i, count(*) as n
            from unnest(array_agg(${column}) filter (where ${column} is not null)) as v group by 1) as buckets`);
  const tag = options.withTag === true;
  return sql`
    select ${sql.raw(`${grain}::smallint as grain, ${breakdown}::smallint as breakdown, ${bucket} as bucket_start, ${dimensions},${tag ? " call_tags.tag," : ""}
      count(*)::bigint as requests,
      (count(*) filter (where status = 'ERROR'))::bigint as errors,
      coalesce(sum(prompt_tokens), 0)::bigint as prompt_tokens,
      coalesce(sum(completion_tokens), 0)::bigint as completion_tokens,
      coalesce(sum(cached_tokens), 0)::bigint as cached_tokens,
      coalesce(sum(cache_write_tokens), 0)::bigint as cache_write_tokens,
      coalesce(sum(cost_usd), 0)::numeric(38, 12) as cost_usd,
      ${sketch("latency_ms")} as latency_sketch,
      ${sketch("ttft_ms")} as ttft_sketch
    from calls ${tag ? TAG_JOIN : ""}`)}
    where ${where ?? sql`true`}
    group by ${sql.raw(`${bucket}, ${groupDimensions}${tag ? ", call_tags.tag" : ""}`)}`;
}
