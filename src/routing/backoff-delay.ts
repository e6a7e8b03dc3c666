import type { BackoffSettings } from "./model-group.js";

/** Longest retry-after we wait for before retrying the same deployment. */
export const MAX_RETRY_AFTER_MS = 10_000;

/**
 * Exponential backoff with full jitter; a provider's retry-after (capped) is a floor.
 * `retry` is 0 for the first retry.
 */
export function backoffDelay(retry: number, settings: BackoffSettings, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** retry);
  const jittered = random() * ceiling;
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}
