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
  const plain = plainDuration(text);
  return plain === undefined ? anyGoDuration(text) : plain;
}

/**
 * The shape every OpenAI response carries twice ("6ms", "8.64s", "1m30s": numbers with ASCII units,
 * nothing around them) read by one walk over the characters, without the bare-number try, the
 * trim and a regular expression match per part; undefined for anything else, which `anyGoDuration`
 * reads (or refuses) as before. The same numbers: each part's digits go through Number().
 */
function plainDuration(text: string): number | undefined {
  const length = text.length;
  let total = 0;
  let index = 0;
  if (length === 0) return undefined;
  while (index < length) {
    const start = index;
    let digits = 0;
    let dot = false;
    for (; index < length; index++) {
      const code = text.charCodeAt(index);
      if (code >= 48 && code <= 57) digits++;
      else if (code === 46 && !dot) dot = true;
      else break;
    }
    if (digits === 0 || index === length) return undefined;
    const number = Number(text.slice(start, index));
    const unit = text.charCodeAt(index);
    const next = index + 1 < length ? text.charCodeAt(index + 1) : 0;
    let unitMs: number;
    if (unit === 104 /* h */) unitMs = 3_600_000;
    else if (unit === 109 /* m */) unitMs = next === 115 /* s */ ? 1 : 60_000;
    else if (unit === 115 /* s */) unitMs = 1000;
    else if (unit === 117 /* u */ && next === 115) unitMs = 0.001;
    else if (unit === 110 /* n */ && next === 115) unitMs = 0.000001;
    else return undefined;
    index += unitMs === 1 || unitMs === 0.001 || unitMs === 0.000001 ? 2 : 1;
    total += number * unitMs;
  }
  return Math.round(total * 1000) / 1000;
}

function anyGoDuration(text: string): number | undefined {
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
