import { createHash } from "node:crypto";
import type { ChatMessage } from "../../core/chat-request.js";
import { contentText } from "../../core/content-part.js";
import type { PromptScorer } from "./prompt-scorer.js";
import type { RouterFile } from "./router-file.js";
import { createTextScorer } from "./score-prompt-text.js";
import { createStackedScorer } from "./stacked-router-model.js";

/** The text the router scores: every message's content, in order, one per line (what goes upstream). */
export function promptTextOf(messages: readonly ChatMessage[]): string {
  let text = "";
  for (const message of messages) {
    const content = contentText(message.content);
    if (content === null || content === "") continue;
    text = text === "" ? content : `${text}\n${content}`;
  }
  return text;
}

/** The threshold that sends about `share` of prompts up: the (1 − share) quantile of the calibration scores. */
export function thresholdFromQuantiles(quantiles: readonly number[], share: number): number {
  if (!(share > 0)) return 1;
  if (share >= 1) return 0;
  const at = (1 - share) * (quantiles.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, quantiles.length - 1);
  return quantiles[lo]! + (quantiles[hi]! - quantiles[lo]!) * (at - lo);
}

export function createPromptScorer(file: RouterFile, source: string, text: string): PromptScorer {
  const scoreText = file.version === 3 ? createStackedScorer(file.model).score : createTextScorer(file.model);
  const version = `${file.version}:${createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
  return {
    source,
    version,
    score: (messages) => scoreText(promptTextOf(messages)),
    thresholdForStrongShare: (share) => thresholdFromQuantiles(file.scoreQuantiles, share),
  };
}
