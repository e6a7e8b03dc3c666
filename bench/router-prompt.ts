import { countTokens } from "gpt-tokenizer";
import { createSeededRandom } from "../src/core/create-seeded-random.js";

const PARAGRAPH =
  "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. " +
  "Which of the following best describes the relationship between supply and demand when the price ceiling is set below equilibrium? " +
  "A train leaves the station at 3:15 pm travelling 62.5 km/h; how far has it gone by 5:45 pm (in km)? " +
  "Statement 1 | Every homomorphic image of a group G is isomorphic to a factor group of G. ";

/** A prompt of about `tokens` tokens (counted with gpt-tokenizer), varied per copy so nothing repeats exactly. */
export function promptOfTokens(tokens: number): string {
  let text = "";
  for (let i = 0; countTokens(text) < tokens; i++) text += `(${i}) ${PARAGRAPH}`;
  // Flat, as a request body's JSON.parse delivers it (a string built by += is a rope, slower to read).
  return JSON.parse(JSON.stringify(text)) as string;
}


/**
 * A multiple-choice prompt of about `tokens` tokens: a long question followed by four options,
 * the shape on which the router also runs its subject classifier (the costlier case).
 */
export function multipleChoicePromptOfTokens(tokens: number): string {
  return promptOfTokens(tokens - countTokens(MULTIPLE_CHOICE_OPTIONS)) + MULTIPLE_CHOICE_OPTIONS;
}

/** The four options that make a prompt multiple-choice in the benchmarks. */
export const MULTIPLE_CHOICE_OPTIONS = "\nA. supply exceeds demand\nB. demand exceeds supply\nC. both are equal\nD. neither changes\nAnswer:";

/**
 * A prompt of `chars` characters (give it the length of a 2,000-token promptOfTokens) whose words
 * are drawn, seeded and Zipf-like (word r about as often as 1/r), from a made-up vocabulary of
 * 20,000 words, with numbers and punctuation among them. Unlike promptOfTokens, whose copies of one
 * paragraph touch a few hundred weight buckets that stay in the CPU cache, its features land in
 * thousands of buckets, as the words of a real long prompt do: the weight reads miss the cache.
 * (Made-up words cost the GPT tokenizer more tokens than English: sized by characters, not tokens.)
 */
export function variedPromptOfChars(chars: number, seed = 1): string {
  const random = createSeededRandom(seed);
  const letters = "etaoinshrdlcumwfgypbvkjxqz";
  const word = (rank: number): string => {
    const draw = createSeededRandom(rank + 1);
    let w = "";
    for (let n = 2 + Math.floor(draw() * 8); w.length < n; ) w += letters[Math.floor(letters.length * draw() ** 2)];
    return w;
  };
  let text = "";
  while (text.length < chars) {
    const r = random();
    const next = r < 0.05 ? String(Math.floor(random() * 10_000)) : word(Math.floor(20_000 ** random()));
    text += `${text === "" ? "" : " "}${next}${r > 0.9 ? "," : r > 0.87 ? "." : ""}`;
  }
  return JSON.parse(JSON.stringify(text.slice(0, chars))) as string;
}
