import type { ChatMessage } from "../../src/core/index.js";
import type { PromptScorer } from "../../src/routing/quality/prompt-scorer.js";

/**
 * A stand-in for the learned router: the longer the prompt, the higher the score (100 characters
 * or more score 1), so a test picks a tier by the length of what it asks. Its strongShare
 * calibration is that of scores spread evenly over [0, 1].
 */
export const lengthScorer: PromptScorer = {
  source: "test:length",
  version: "length-1",
  score: (messages: readonly ChatMessage[]) => Math.min(1, messages.reduce((sum, m) => sum + (m.content?.length ?? 0), 0) / 100),
  thresholdForStrongShare: (share: number) => 1 - share,
};

/** `loadScorer` for tests: "builtin" (and any path) is the length scorer; a path containing "broken" fails like a bad file. */
export function loadLengthScorer(spec: string): PromptScorer {
  if (spec.includes("broken")) throw new Error(`${spec}: not a router file`);
  return lengthScorer;
}
