-- Statistics for the new increments table: never analyzed, the planner would guess ~1,000 rows and plan usage reads in parallel.
ANALYZE call_rollup_deltas;
--> statement-breakpoint
-- Counts the calls stored before the end-user breakdown existed (the writer maintains it from here on), with the writer's aggregation.
insert into call_rollups (grain, breakdown, bucket_start, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind, requests, errors, prompt_tokens, completion_tokens, cached_tokens, cost_usd, latency_sketch, ttft_sketch)
    select 1::smallint as grain, 3::smallint as breakdown, to_timestamp(floor(extract(epoch from created_at) / 60) * 60) as bucket_start, null::text as model_group, null::text as provider, null::text as deployment, key_id, team_id, end_user, status, null::text as error_kind,
      count(*)::bigint as requests,
      (count(*) filter (where status = 'ERROR'))::bigint as errors,
      coalesce(sum(prompt_tokens), 0)::bigint as prompt_tokens,
      coalesce(sum(completion_tokens), 0)::bigint as completion_tokens,
      coalesce(sum(cached_tokens), 0)::bigint as cached_tokens,
      coalesce(sum(cost_usd), 0)::numeric(38, 12) as cost_usd,
      (
      select coalesce(array_agg(i * 4294967296 + n order by i), '{}'::bigint[])
      from (select (case when v > 1 then ceil(ln(v) / 0.040005334613699206::float8)::bigint else 0 end) as i, count(*) as n
            from unnest(array_agg(latency_ms) filter (where latency_ms is not null)) as v group by 1) as buckets) as latency_sketch,
      (
      select coalesce(array_agg(i * 4294967296 + n order by i), '{}'::bigint[])
      from (select (case when v > 1 then ceil(ln(v) / 0.040005334613699206::float8)::bigint else 0 end) as i, count(*) as n
            from unnest(array_agg(ttft_ms) filter (where ttft_ms is not null)) as v group by 1) as buckets) as ttft_sketch
    from calls
    where true
    group by to_timestamp(floor(extract(epoch from created_at) / 60) * 60), key_id, team_id, end_user, status;
--> statement-breakpoint
insert into call_rollups (grain, breakdown, bucket_start, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind, requests, errors, prompt_tokens, completion_tokens, cached_tokens, cost_usd, latency_sketch, ttft_sketch)
    select 60::smallint as grain, 3::smallint as breakdown, to_timestamp(floor(extract(epoch from created_at) / 3600) * 3600) as bucket_start, null::text as model_group, null::text as provider, null::text as deployment, key_id, team_id, end_user, status, null::text as error_kind,
      count(*)::bigint as requests,
      (count(*) filter (where status = 'ERROR'))::bigint as errors,
      coalesce(sum(prompt_tokens), 0)::bigint as prompt_tokens,
      coalesce(sum(completion_tokens), 0)::bigint as completion_tokens,
      coalesce(sum(cached_tokens), 0)::bigint as cached_tokens,
      coalesce(sum(cost_usd), 0)::numeric(38, 12) as cost_usd,
      (
      select coalesce(array_agg(i * 4294967296 + n order by i), '{}'::bigint[])
      from (select (case when v > 1 then ceil(ln(v) / 0.040005334613699206::float8)::bigint else 0 end) as i, count(*) as n
            from unnest(array_agg(latency_ms) filter (where latency_ms is not null)) as v group by 1) as buckets) as latency_sketch,
      (
      select coalesce(array_agg(i * 4294967296 + n order by i), '{}'::bigint[])
      from (select (case when v > 1 then ceil(ln(v) / 0.040005334613699206::float8)::bigint else 0 end) as i, count(*) as n
            from unnest(array_agg(ttft_ms) filter (where ttft_ms is not null)) as v group by 1) as buckets) as ttft_sketch
    from calls
    where true
    group by to_timestamp(floor(extract(epoch from created_at) / 3600) * 3600), key_id, team_id, end_user, status;
--> statement-breakpoint
insert into call_rollups (grain, breakdown, bucket_start, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind, requests, errors, prompt_tokens, completion_tokens, cached_tokens, cost_usd, latency_sketch, ttft_sketch)
    select 1440::smallint as grain, 3::smallint as breakdown, to_timestamp(floor(extract(epoch from created_at) / 86400) * 86400) as bucket_start, null::text as model_group, null::text as provider, null::text as deployment, key_id, team_id, end_user, status, null::text as error_kind,
      count(*)::bigint as requests,
      (count(*) filter (where status = 'ERROR'))::bigint as errors,
      coalesce(sum(prompt_tokens), 0)::bigint as prompt_tokens,
      coalesce(sum(completion_tokens), 0)::bigint as completion_tokens,
      coalesce(sum(cached_tokens), 0)::bigint as cached_tokens,
      coalesce(sum(cost_usd), 0)::numeric(38, 12) as cost_usd,
      (
      select coalesce(array_agg(i * 4294967296 + n order by i), '{}'::bigint[])
      from (select (case when v > 1 then ceil(ln(v) / 0.040005334613699206::float8)::bigint else 0 end) as i, count(*) as n
            from unnest(array_agg(latency_ms) filter (where latency_ms is not null)) as v group by 1) as buckets) as latency_sketch,
      (
      select coalesce(array_agg(i * 4294967296 + n order by i), '{}'::bigint[])
      from (select (case when v > 1 then ceil(ln(v) / 0.040005334613699206::float8)::bigint else 0 end) as i, count(*) as n
            from unnest(array_agg(ttft_ms) filter (where ttft_ms is not null)) as v group by 1) as buckets) as ttft_sketch
    from calls
    where true
    group by to_timestamp(floor(extract(epoch from created_at) / 86400) * 86400), key_id, team_id, end_user, status;
