/** Azure's "nothing filtered" verdicts (WIRE §2): per choice, and for the prompt (with the jailbreak detector). */
export const SAFE_COMPLETION_FILTER =
  `{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},` +
  `"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}`;

export const SAFE_PROMPT_FILTER_RESULTS =
  `[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":false,"detected":false},` +
  `"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]`;
