const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  "µs": 0.001,
  "μs": 0.001,
  ns: 0.000001,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|μs|ns)/y;

/**
 * A Go duration string ("120ms", "8.64s", "1m30s", "6m0s") in milliseconds, as OpenAI writes
 * its `x-ratelimit-reset-*` headers. A bare number is read as seconds, which some
 * OpenAI-compatible servers send. Anything else gives undefined.
 */
export function parseGoDuration(text: string): number | undefined {
  const value = text.trim();
  if (value === "") return undefined;
  const bare = Number(value);
  if (!Number.isNaN(bare)) return bare >= 0 ? bare * 1000 : undefined;
  let total = 0;
  let index = 0;
  while (index < value.length) {
    PART.lastIndex = index;
    const match = PART.exec(value);
    if (match === null) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    index = PART.lastIndex;
  }
  return Math.round(total * 1000) / 1000;
}
