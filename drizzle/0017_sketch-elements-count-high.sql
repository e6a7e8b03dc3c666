-- Latency and TTFT sketch elements change from `index * 2^32 + count` to `count * 1024 + index`
-- (src/db/sketch-codec.ts): 4 to 8 decimal digits for the counts a rollup row holds instead of 12 to
-- 13, which is what a usage report prints in the backend and parses in the gateway. Every stored
-- sketch is rewritten: the rollup rows and the increments not merged yet. Indexes past 1023 (values
-- above about 6·10^17 ms) are counted in bucket 1023, as the code now does; counts stay exact (an
-- old count is below 2^32, a new one may reach 2^43 − 1).
-- Upgrading several instances: stop every instance running code older than this migration before it
-- runs. An older writer's increments, or an older merger's upserts, would add elements of the old form
-- to sketches of the new one, and older readers would misread the new form.
create function switchyard_sketch_count_high(old bigint[]) returns bigint[] language sql immutable as $$
  select coalesce(array_agg(least(n, 8796093022207)::bigint * 1024 + i order by i), '{}'::bigint[])
  from (select least(e / 4294967296, 1023) as i, sum(e % 4294967296) as n from unnest(old) as e group by 1) as buckets
$$;
--> statement-breakpoint
create function switchyard_sketch_json_count_high(old json) returns jsonb language sql immutable as $$
  select to_jsonb(switchyard_sketch_count_high(array(select element::numeric::bigint from json_array_elements_text(old) as element)))
$$;
--> statement-breakpoint
update call_rollups
set latency_sketch = switchyard_sketch_count_high(latency_sketch), ttft_sketch = switchyard_sketch_count_high(ttft_sketch)
where cardinality(latency_sketch) > 0 or cardinality(ttft_sketch) > 0;
--> statement-breakpoint
update attempt_rollups set latency_sketch = switchyard_sketch_count_high(latency_sketch) where cardinality(latency_sketch) > 0;
--> statement-breakpoint
update call_rollup_deltas set
  rollup_rows = (
    select coalesce(json_agg((r.value::jsonb || jsonb_build_object(
        'latency_sketch', switchyard_sketch_json_count_high(r.value -> 'latency_sketch'),
        'ttft_sketch', switchyard_sketch_json_count_high(r.value -> 'ttft_sketch')))::json order by r.n), '[]'::json)
    from json_array_elements(rollup_rows) with ordinality as r(value, n)),
  attempt_rows = (
    select coalesce(json_agg((r.value::jsonb || jsonb_build_object(
        'latency_sketch', switchyard_sketch_json_count_high(r.value -> 'latency_sketch')))::json order by r.n), '[]'::json)
    from json_array_elements(attempt_rows) with ordinality as r(value, n));
--> statement-breakpoint
drop function switchyard_sketch_json_count_high(json);
--> statement-breakpoint
drop function switchyard_sketch_count_high(bigint[]);
