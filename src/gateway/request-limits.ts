/**
 * Bounds on what a completion request may carry, checked at the door (`validateCallFields`) before
 * anything is routed, charged or recorded. Stated in the README ("Limits on a request"); one place.
 */
export const REQUEST_LIMITS = {
  /**
   * `metadata` (with `routing.tags`, kept as `metadata.tags`) is stored in `calls.metadata` (jsonb).
   * Every step that handles it (JSON.stringify in the writer, jsonb in Postgres, the usage reads)
   * recurses; 5,000 levels overflowed the writer's stack. 32 levels is far past any real tagging.
   */
  metadataDepth: 32,
  /** Serialised (UTF-8 JSON) size of `metadata`: a call row stays small whatever the client sends. */
  metadataBytes: 16 * 1024,
  /**
   * JSON values only sent upstream (tool `parameters`, `responseFormat.schema`, tool-call arguments
   * given as objects on /v1): JSON Schemas nest two levels per object level, so more room than metadata,
   * and still far from the depth at which JSON.stringify or an adapter's schema conversion overflows.
   */
  schemaDepth: 64,
  /**
   * A whole `/v1` body, checked right after JSON.parse: room for a schema at `schemaDepth` under the
   * levels that hold it, and a bound on every other field the conversion might walk or stringify.
   */
  bodyDepth: 80,
  /** `user` (stored as `calls.end_user`, a budget scope of its own with `endUserBudget`). */
  userChars: 256,
  /** Names: model, routing strategy and fallbacks, tool names, tool-call ids, message names. */
  nameChars: 256,
} as const;
