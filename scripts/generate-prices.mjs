// Regenerates src/accounting/price-catalog.json from LiteLLM's model catalog (MIT licence).
//
//   npm run prices:generate                      # reads ../shared/data/model_prices_and_context_window.json
//   npm run prices:generate -- SOURCE.json       # another copy of the catalog
//   node scripts/generate-prices.mjs SOURCE.json OUT.json
//
// Relative paths are taken from the repository root. The output is committed; nothing reads the
// source catalog at run time. Prices become integer pico-USD (1e-12 USD) per token, converted from
// the number's decimal text so that 7.5e-08 is exactly 75000 and never 74999.99…. The output is
// sorted and carries no timestamp, so regenerating from the same source produces no diff.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const sourcePath = resolve(repoRoot, process.argv[2] ?? "../shared/data/model_prices_and_context_window.json");
const outputPath = resolve(repoRoot, process.argv[3] ?? "src/accounting/price-catalog.json");

const PICO_DIGITS = 12;
const MODES = new Set(["chat", "responses", "completion", "embedding"]);
// Order fixes the letters' order inside "cap"; price-catalog readers rely on the letters, not the order.
// A letter in upper case records an explicit "no" (supports_… false).
const CAPABILITIES = [
  ["t", "supports_function_calling"],
  ["v", "supports_vision"],
  ["j", "supports_response_schema"],
  ["c", "supports_prompt_caching"],
  ["s", "supports_system_messages"],
];

let roundedPrices = 0;

/**
 * USD per token (a JSON number) → integer pico-USD, through the decimal text: String(n) is the
 * shortest text that reads back as the same double, i.e. the literal the catalog meant.
 * Sub-pico remainders are rounded half-up and counted.
 */
function usdToPico(value, where) {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new Error(`${where}: expected a non-negative price, got ${JSON.stringify(value)}`);
  }
  const match = /^(\d+)(?:\.(\d*))?(?:e([-+]?\d+))?$/i.exec(String(value));
  if (!match) throw new Error(`${where}: cannot read ${String(value)} as a decimal`);
  const [, whole, fraction = "", exponent = "0"] = match;
  const digits = BigInt(whole + fraction);
  const shift = Number(exponent) - fraction.length + PICO_DIGITS;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  const quotient = digits / divisor;
  const remainder = digits % divisor;
  if (remainder === 0n) return quotient;
  roundedPrices += 1;
  return remainder * 2n >= divisor ? quotient + 1n : quotient;
}

// Plain JSON numbers stay readable; a price too large for a double (none today) goes out as text.
const picoJson = (pico) => (pico <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(pico) : String(pico));

const tokenLimit = (value) => (Number.isSafeInteger(value) && value > 0 ? value : undefined);

function compactEntry(name, spec) {
  const entry = {};
  if (typeof spec.litellm_provider === "string") entry.p = spec.litellm_provider;
  // Embedding models are marked; every other entry is a chat (or completion) model.
  if (spec.mode === "embedding") entry.m = "e";
  entry.i = picoJson(usdToPico(spec.input_cost_per_token, `${name}.input_cost_per_token`));
  entry.o = picoJson(usdToPico(spec.output_cost_per_token, `${name}.output_cost_per_token`));
  const optionalPrices = [
    ["cr", "cache_read_input_token_cost"],
    ["cw", "cache_creation_input_token_cost"],
    ["r", "output_cost_per_reasoning_token"],
  ];
  for (const [key, field] of optionalPrices) {
    if (spec[field] !== undefined && spec[field] !== null) entry[key] = picoJson(usdToPico(spec[field], `${name}.${field}`));
  }
  const ctx = tokenLimit(spec.max_input_tokens);
  if (ctx !== undefined) entry.ctx = ctx;
  const out = tokenLimit(spec.max_output_tokens);
  if (out !== undefined) entry.out = out;
  // Lower case: the catalog says yes; upper case: it says no; no letter: it does not say (unknown, so worth a try).
  const cap = CAPABILITIES.flatMap(([letter, field]) => (spec[field] === true ? [letter] : spec[field] === false ? [letter.toUpperCase()] : [])).join("");
  if (cap !== "") entry.cap = cap;
  return entry;
}

const hasTokenPrices = (spec) =>
  typeof spec.input_cost_per_token === "number" && typeof spec.output_cost_per_token === "number";

const source = JSON.parse(readFileSync(sourcePath, "utf8"));
const names = Object.keys(source)
  .filter((name) => name !== "sample_spec")
  .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const entries = [];
let skippedWithoutPrices = 0;
for (const name of names) {
  const spec = source[name];
  if (spec === null || typeof spec !== "object" || !MODES.has(spec.mode)) continue;
  if (!hasTokenPrices(spec)) {
    skippedWithoutPrices += 1;
    continue;
  }
  entries.push([name, compactEntry(name, spec)]);
}

const note = {
  file: basename(sourcePath),
  sourceEntries: names.length,
  entries: entries.length,
  licence: "Prices and limits from LiteLLM's model_prices_and_context_window.json (BerriAI/litellm, MIT licence)",
  units: "i/o/cr/cw/r: integer pico-USD (1e-12 USD) per token; ctx: max input tokens; out: max output tokens",
  generator: "scripts/generate-prices.mjs (npm run prices:generate)",
};
const lines = [`"_source":${JSON.stringify(note)}`, ...entries.map(([name, entry]) => `${JSON.stringify(name)}:${JSON.stringify(entry)}`)];
writeFileSync(outputPath, `{\n${lines.join(",\n")}\n}\n`);

console.log(
  `prices: wrote ${entries.length} models to ${outputPath} ` +
    `(skipped ${skippedWithoutPrices} chat/completion entries without token prices; ` +
    `rounded ${roundedPrices} sub-pico prices half-up)`,
);
