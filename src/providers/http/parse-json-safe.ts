export type JsonParseResult =
  | { ok: true; value: unknown }
  | { ok: false; error: unknown; text: string };

/** JSON.parse as data: callers decide what an unparsable body means for them. */
export function parseJsonSafe(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error, text };
  }
}
