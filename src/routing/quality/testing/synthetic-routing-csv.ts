import { createSeededRandom as seededRandom } from "../../../core/create-seeded-random.js";

const HARD = ["integral", "eigenvalue", "theorem", "derivative", "topology", "isomorphic", "entropy", "lemma"];
const EASY = ["capital", "colour", "animal", "fruit", "river", "holiday", "breakfast", "city"];
const FILLER = ["the", "of", "which", "is", "what", "a", "following", "best", "describes", "in"];

/**
 * A small routing CSV where the outcome follows the words: prompts with "hard" words are solved by
 * the strong model only, "easy" ones by both (with some noise), half of them multiple-choice with a
 * subject column. Seeded: the same arguments give the same text.
 */
export function syntheticRoutingCsv(rows: number, seed = 7): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const lines = ["domain,prompt,weak_correct,strong_correct"];
  for (let i = 0; i < rows; i++) {
    const hard = random() < 0.4;
    const words = Array.from({ length: 6 + Math.floor(random() * 10) }, () => (random() < 0.3 ? pick(hard ? HARD : EASY) : pick(FILLER)));
    const question = `${words.join(" ")} ${i}?`;
    const prompt = i % 2 === 0 ? `${question}\nA. "one"\nB. two, three\nC. 4\nD. 5\nAnswer:` : question;
    const noise = random() < 0.15;
    const weak = hard ? noise : !noise;
    const strong = hard ? !noise : true;
    const cap = (b: boolean): string => (b ? "True" : "False");
    lines.push(`${hard ? "algebra" : "trivia"},"${prompt.replace(/"/g, '""')}",${cap(weak)},${cap(strong)}`);
  }
  return `${lines.join("\n")}\n`;
}
