/**
 * A longer prompt is read as its first HEAD_CHARS characters (where a question starts: what the
 * subject classifier reads) and its last TAIL_CHARS (the options of a quiz, a conversation's latest
 * turn), joined by a line break, so scoring cost is bounded whatever the prompt size; `logChars`
 * still counts the whole text. 5,120 is above every training prompt (the longest has 4,868
 * characters: the shipped router's features are unchanged) and cuts the cost of a 2,000-token
 * prompt by a third or more (docs/quality-router.md, "Reading long prompts").
 */
export const MAX_SCORED_CHARS = 5_120;
export const HEAD_CHARS = 2_560;
export const TAIL_CHARS = MAX_SCORED_CHARS - HEAD_CHARS;

/** The text the features are computed from (see MAX_SCORED_CHARS); the scan writes the same code units without this string. */
export function scoredTextOf(text: string): string {
  return text.length > MAX_SCORED_CHARS ? `${text.slice(0, HEAD_CHARS)}\n${text.slice(text.length - TAIL_CHARS)}` : text;
}
