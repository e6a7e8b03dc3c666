import type { ChatMessage } from "../../core/chat-request.js";

/**
 * The seam between quality routing (tiers, cascades) and the learned router that scores prompts.
 * A scorer runs in-process on the request path: no network, no I/O, microseconds per prompt.
 */
export interface PromptScorer {
  /** Where the model came from: "builtin" or the router file's path. */
  readonly source: string;
  /** The router file's format version and a content hash, for the call row and logs. */
  readonly version: string;
  /**
   * The estimate, in [0, 1], that the prompt needs the stronger tier. The text scored is what
   * the gateway sends upstream: the conversation's messages (system, user, assistant turns).
   */
  score(messages: readonly ChatMessage[]): number;
  /**
   * The threshold that sends about `share` (0..1) of prompts up a tier, calibrated from the
   * scores of the training prompts (stored in the router file).
   */
  thresholdForStrongShare(share: number): number;
}
