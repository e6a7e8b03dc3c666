import { createHash } from "node:crypto";
import { type CopyTextValue, copyTextRow } from "../src/db/copy-text-row.js";

/** How the synthetic traffic spreads over models, deployments, keys, teams and end users. */
export interface SyntheticCallShape {
  modelGroups: number;
  deploymentsPerGroup: number;
  keys: number;
  teams: number;
  endUsers: number;
  /** Share of calls that name an end user. */
  endUserShare: number;
}

/** The `calls` columns a synthetic row fills, in the order of its values (the COPY column list). */
export const SYNTHETIC_CALL_COLUMNS = [
  "id", "created_at", "requested_model", "model_group", "provider", "deployment", "provider_model", "status", "error_kind",
  "error_message", "finish_reason", "streamed", "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens", "cost_usd",
  "latency_ms", "ttft_ms", "attempt_count", "key_id", "team_id", "end_user", "metadata",
] as const;

const ERROR_KINDS = ["rate_limit", "timeout", "upstream_5xx"] as const;

export interface SyntheticCallContext {
  /** Calls in the whole seed: created_at spreads them evenly over `spanMs` from `start`. */
  total: number;
  start: Date;
  spanMs: number;
  shape: SyntheticCallShape;
  /** Uniform draws in [0, 1), three per call in call order, so a seeded source gives the same rows every run. */
  random: () => number;
}

/**
 * The values of call number `n` (1-based). Everything but the three random draws (latency, time to
 * first token, whether an end user is named) follows from `n`: status by n mod 100 (94% SUCCESS,
 * 5% ERROR, 1% CANCELLED), 80% streamed, keys and model groups cycling through every value, each
 * group's deployments taking turns, and the id is md5(n) as a UUID. Cost is exact:
 * (prompt × 150 + completion × 600) × (group + 1) nano-dollars.
 */
export function syntheticCallValues(n: number, context: SyntheticCallContext): CopyTextValue[] {
  const { total, start, spanMs, shape, random } = context;
  const model = (n * 7919) % shape.modelGroups;
  // n / modelGroups, not n alone: the model already follows n mod modelGroups, so this lets every
  // group use each of its deployments.
  const deployment = Math.floor(n / shape.modelGroups) % shape.deploymentsPerGroup;
  const key = (n * 104729) % shape.keys;
  const percentile = n % 100;
  const status = percentile < 94 ? "SUCCESS" : percentile < 99 ? "ERROR" : "CANCELLED";
  const streamed = n % 5 !== 0;
  const promptTokens = 50 + ((n * 31) % 4000);
  const completionTokens = 10 + ((n * 17) % 700);
  const latencyDraw = random();
  const ttftDraw = random();
  const endUserDraw = random();
  const createdAtUs = start.getTime() * 1000 + Math.round(((n - 1) * spanMs * 1000) / total);
  return [
    md5Uuid(n),
    microsecondTimestamp(createdAtUs),
    `model-${model}`,
    `group-${model}`,
    `provider-${deployment % 4}`,
    `deploy-${model}-${deployment}`,
    `model-${model}-v${deployment}`,
    status,
    status === "ERROR" ? ERROR_KINDS[n % ERROR_KINDS.length]! : null,
    status === "ERROR" ? "synthetic failure" : null,
    status === "SUCCESS" ? "stop" : null,
    streamed,
    promptTokens,
    completionTokens,
    Math.floor(promptTokens / 10),
    0,
    nanoDollars((promptTokens * 150 + completionTokens * 600) * (1 + model)),
    Math.exp(4 + 1.2 * latencyDraw),
    streamed ? Math.exp(3 + 1.0 * ttftDraw) : null,
    n % 17 === 0 ? 2 : 1,
    `key-${key}`,
    `team-${key % shape.teams}`,
    endUserDraw < shape.endUserShare ? `user-${n % shape.endUsers}` : null,
    null,
  ];
}

/**
 * Calls `first`…`last` (every `stride`-th from `first`) as COPY text lines, `rowsPerChunk` lines
 * to a yielded string: a lazy source for stream.pipeline, which pulls the next chunk only when
 * the COPY stream has room.
 */
export function* syntheticCallRows(first: number, last: number, context: SyntheticCallContext, rowsPerChunk = 256, stride = 1): Generator<string> {
  let chunk = "";
  let inChunk = 0;
  for (let n = first; n <= last; n += stride) {
    chunk += copyTextRow(syntheticCallValues(n, context));
    if (++inChunk === rowsPerChunk) {
      yield chunk;
      chunk = "";
      inChunk = 0;
    }
  }
  if (inChunk > 0) yield chunk;
}

function md5Uuid(n: number): string {
  const hex = createHash("md5").update(String(n)).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** ISO 8601 in UTC with microseconds, which timestamptz keeps and Date alone cannot print. */
function microsecondTimestamp(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}${String(us - ms * 1000).padStart(3, "0")}Z`;
}

/** An integer count of nano-dollars as an exact decimal string of dollars. */
function nanoDollars(nano: number): string {
  const whole = Math.floor(nano / 1_000_000_000);
  return `${whole}.${String(nano - whole * 1_000_000_000).padStart(9, "0")}`;
}
