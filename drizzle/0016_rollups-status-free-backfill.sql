-- Breakdowns 4 and 5 are 1 and 2 without status and error kind (src/db/rollup-breakdowns.ts): their
-- rows for the buckets already rolled up are the sums of those rows over status and error kind, at
-- every grain, sketches merged by adding counts per bucket index. Derived from the rollups rather than
-- from raw calls, so buckets whose calls retention already dropped are counted too. Increments not
-- merged yet are added to every breakdown by the rollup merger afterwards.
-- Breakdown 4 (model group, provider, deployment) from breakdown 1.
insert into call_rollups (grain, breakdown, bucket_start, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind, requests, errors, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, cost_usd, latency_sketch, ttft_sketch)
select s.grain, 4::smallint as breakdown, s.bucket_start, s.model_group, s.provider, s.deployment, null::text as key_id, null::text as team_id, null::text as end_user, ''::text as status, null::text as error_kind,
  s.requests, s.errors, s.prompt_tokens, s.completion_tokens, s.cached_tokens, s.cache_write_tokens, s.cost_usd,
  (select coalesce(array_agg(i * 4294967296 + c order by i), '{}'::bigint[])
      from (select e / 4294967296 as i, sum(e % 4294967296)::bigint as c
            from call_rollups as r cross join lateral unnest(r.latency_sketch) as e
            where r.grain = s.grain and r.breakdown = 1 and r.bucket_start = s.bucket_start and r.model_group is not distinct from s.model_group and r.provider is not distinct from s.provider and r.deployment is not distinct from s.deployment group by 1) as merged) as latency_sketch,
  (select coalesce(array_agg(i * 4294967296 + c order by i), '{}'::bigint[])
      from (select e / 4294967296 as i, sum(e % 4294967296)::bigint as c
            from call_rollups as r cross join lateral unnest(r.ttft_sketch) as e
            where r.grain = s.grain and r.breakdown = 1 and r.bucket_start = s.bucket_start and r.model_group is not distinct from s.model_group and r.provider is not distinct from s.provider and r.deployment is not distinct from s.deployment group by 1) as merged) as ttft_sketch
from (select grain, bucket_start, model_group, provider, deployment,
        sum(requests)::bigint as requests, sum(errors)::bigint as errors, sum(prompt_tokens)::bigint as prompt_tokens,
        sum(completion_tokens)::bigint as completion_tokens, sum(cached_tokens)::bigint as cached_tokens,
        sum(cache_write_tokens)::bigint as cache_write_tokens, sum(cost_usd)::numeric(38, 12) as cost_usd
      from call_rollups where breakdown = 1 group by grain, bucket_start, model_group, provider, deployment) as s;
--> statement-breakpoint
-- Breakdown 5 (key, team) from breakdown 2.
insert into call_rollups (grain, breakdown, bucket_start, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind, requests, errors, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, cost_usd, latency_sketch, ttft_sketch)
select s.grain, 5::smallint as breakdown, s.bucket_start, null::text as model_group, null::text as provider, null::text as deployment, s.key_id, s.team_id, null::text as end_user, ''::text as status, null::text as error_kind,
  s.requests, s.errors, s.prompt_tokens, s.completion_tokens, s.cached_tokens, s.cache_write_tokens, s.cost_usd,
  (select coalesce(array_agg(i * 4294967296 + c order by i), '{}'::bigint[])
      from (select e / 4294967296 as i, sum(e % 4294967296)::bigint as c
            from call_rollups as r cross join lateral unnest(r.latency_sketch) as e
            where r.grain = s.grain and r.breakdown = 2 and r.bucket_start = s.bucket_start and r.key_id is not distinct from s.key_id and r.team_id is not distinct from s.team_id group by 1) as merged) as latency_sketch,
  (select coalesce(array_agg(i * 4294967296 + c order by i), '{}'::bigint[])
      from (select e / 4294967296 as i, sum(e % 4294967296)::bigint as c
            from call_rollups as r cross join lateral unnest(r.ttft_sketch) as e
            where r.grain = s.grain and r.breakdown = 2 and r.bucket_start = s.bucket_start and r.key_id is not distinct from s.key_id and r.team_id is not distinct from s.team_id group by 1) as merged) as ttft_sketch
from (select grain, bucket_start, key_id, team_id,
        sum(requests)::bigint as requests, sum(errors)::bigint as errors, sum(prompt_tokens)::bigint as prompt_tokens,
        sum(completion_tokens)::bigint as completion_tokens, sum(cached_tokens)::bigint as cached_tokens,
        sum(cache_write_tokens)::bigint as cache_write_tokens, sum(cost_usd)::numeric(38, 12) as cost_usd
      from call_rollups where breakdown = 2 group by grain, bucket_start, key_id, team_id) as s;
