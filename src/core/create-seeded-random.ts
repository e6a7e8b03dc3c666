/**
 * mulberry32: a tiny, fast, seeded generator of numbers in [0, 1). Used wherever a result must
 * be reproducible from a seed (the simulator's answers, the router's training order, test data),
 * never for anything secret.
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
