const PICO_PER_USD = 10n ** 12n;

/**
 * Exact pico-USD (1e-12 USD) → the decimal string a `numeric(24,12)` column takes,
 * e.g. 150_000n → "0.000000150000". Never goes through a float.
 */
export function picoToUsd(pico: bigint): string {
  const sign = pico < 0n ? "-" : "";
  const magnitude = pico < 0n ? -pico : pico;
  const whole = magnitude / PICO_PER_USD;
  const fraction = (magnitude % PICO_PER_USD).toString().padStart(12, "0");
  return `${sign}${whole}.${fraction}`;
}

/** "12.000000150000" (a numeric as text) → 12000000150000n pico-USD, exactly; null → 0n. */
export function usdToPico(text: string | null): bigint {
  if (text === null) return 0n;
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const pico = BigInt(whole) * PICO_PER_USD + BigInt(fraction.padEnd(12, "0").slice(0, 12) || "0");
  return negative ? -pico : pico;
}
