/** Exact pico-USD → a Float for GraphQL output (the exact value stays in the database). */
export function picoToUsd(pico: bigint): number {
  return Number(pico) / 1e12;
}
