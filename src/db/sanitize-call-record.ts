import type { AttemptRecord, CallRecord } from "../core/index.js";

/**
 * Postgres cannot store every JavaScript string: `text` refuses NUL (U+0000) and `jsonb` refuses
 * the `\u0000` escape, and a lone UTF-16 surrogate has no UTF-8 form at all (SQLSTATE 22P05 /
 * 22021 / 22P02). Such a call would be refused whatever the retry, so before a record becomes rows
 * every NUL and every lone surrogate — in its text fields, its attempts', and the keys and string
 * values of its metadata — is replaced with U+FFFD (the replacement character). The call is stored
 * with that visible mark instead of being lost. A clean record is returned as it is (no copy).
 */
export function sanitizeCallRecord(record: CallRecord): CallRecord {
  let changed: Partial<Record<keyof CallRecord, unknown>> | undefined;
  for (const field of CALL_TEXT_FIELDS) {
    const value = record[field];
    if (typeof value === "string" && isDirty(value)) (changed ??= {})[field] = cleanString(value);
  }
  if (record.metadata !== null && typeof record.metadata === "object" && hasDirtyString(record.metadata)) {
    (changed ??= {}).metadata = cleanJsonValue(record.metadata);
  }
  let attempts: AttemptRecord[] | undefined;
  if (Array.isArray(record.attempts)) {
    record.attempts.forEach((attempt, index) => {
      const clean = sanitizeAttempt(attempt);
      if (clean !== attempt) (attempts ??= [...record.attempts])[index] = clean;
    });
  }
  if (changed === undefined && attempts === undefined) return record;
  return { ...record, ...(changed as Partial<CallRecord>), ...(attempts ? { attempts } : {}) };
}

const CALL_TEXT_FIELDS = [
  "requestedModel",
  "modelGroup",
  "provider",
  "deployment",
  "providerModel",
  "errorKind",
  "errorMessage",
  "finishReason",
  "keyId",
  "teamId",
  "endUser",
] as const satisfies ReadonlyArray<keyof CallRecord>;

const ATTEMPT_TEXT_FIELDS = ["modelGroup", "deployment", "provider", "providerModel", "errorKind", "errorMessage"] as const satisfies ReadonlyArray<
  keyof AttemptRecord
>;

function sanitizeAttempt(attempt: AttemptRecord): AttemptRecord {
  if (attempt === null || typeof attempt !== "object") return attempt;
  let changed: Record<string, string> | undefined;
  for (const field of ATTEMPT_TEXT_FIELDS) {
    const value = attempt[field];
    if (typeof value === "string" && isDirty(value)) (changed ??= {})[field] = cleanString(value);
  }
  return changed ? { ...attempt, ...changed } : attempt;
}

/** ES2024 string methods, present in Node 20 though the project's `lib` is ES2023. */
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

const isDirty = (value: string): boolean => value.includes("\u0000") || !(value as WellFormedString).isWellFormed();

const cleanString = (value: string): string => (value as WellFormedString).toWellFormed().replaceAll("\u0000", "\uFFFD");

/** Walks keys and string values without recursion, so nesting depth cannot overflow the stack. */
function hasDirtyString(root: object): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      if (isDirty(value)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (isDirty(key)) return true;
        stack.push(item);
      }
    }
  }
  return false;
}

/**
 * A copy with clean strings, through JSON — the form the value is stored in anyway. JSON.stringify
 * escapes a NUL as `\u0000` and a lone surrogate as `\udXXX` (paired ones stay raw), so those
 * escapes are rewritten as `\ufffd`; an escape preceded by an odd run of backslashes is a literal
 * backslash followed by text and is left alone. Throws (RangeError) if the value cannot be
 * serialized at all, as the insert would.
 */
export function cleanJsonValue(value: object): Record<string, unknown> {
  const text = JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi, "$1\\ufffd");
  return JSON.parse(text) as Record<string, unknown>;
}
