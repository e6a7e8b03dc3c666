import { createHash } from "node:crypto";

/**
 * A Bloom filter over prompt texts: the router file keeps one of its training prompts so that
 * `router:eval` can warn when it is shown prompts it was trained on, without storing the prompts
 * (about 10 bits per prompt for a 1% false-positive rate).
 */
export interface PromptBloomFilter {
  bits: number;
  hashes: number;
  data: Uint8Array;
}

export function createPromptBloomFilter(expected: number, falsePositiveRate = 0.01): PromptBloomFilter {
  const bits = Math.max(64, Math.ceil((-expected * Math.log(falsePositiveRate)) / Math.LN2 ** 2 / 8) * 8);
  const hashes = Math.max(1, Math.round((bits / Math.max(1, expected)) * Math.LN2));
  return { bits, hashes: Math.min(hashes, 16), data: new Uint8Array(bits / 8) };
}

function positions(filter: PromptBloomFilter, prompt: string): number[] {
  const digest = createHash("sha256").update(prompt).digest();
  const a = digest.readUInt32LE(0);
  const b = digest.readUInt32LE(4) | 1;
  return Array.from({ length: filter.hashes }, (_, i) => (a + Math.imul(i, b)) >>> 0).map((h) => h % filter.bits);
}

export function addPrompt(filter: PromptBloomFilter, prompt: string): void {
  for (const p of positions(filter, prompt)) filter.data[p >>> 3] = filter.data[p >>> 3]! | (1 << (p & 7));
}

export function mayContainPrompt(filter: PromptBloomFilter, prompt: string): boolean {
  return positions(filter, prompt).every((p) => (filter.data[p >>> 3]! & (1 << (p & 7))) !== 0);
}
