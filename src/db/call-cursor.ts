import { GatewayError } from "../core/index.js";

/** A position in the newest-first call listing: the last row's exact timestamp and id. */
export interface CallCursor {
  /** created_at to the microsecond, UTC, ISO-like ("2025-01-02T03:04:05.123456Z"). */
  createdAt: string;
  id: string;
}

/** A cursor the client altered or took from elsewhere; maps to BAD_USER_INPUT. */
export class InvalidCursorError extends GatewayError {
  override readonly name: string = "InvalidCursorError";

  constructor(cursor: string) {
    super("BAD_USER_INPUT", "Invalid pagination cursor", { cursor: cursor.slice(0, 200) });
  }

  static override isInstance(error: unknown): error is InvalidCursorError {
    return error instanceof InvalidCursorError;
  }
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCallCursor(cursor: CallCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), "utf8").toString("base64url");
}

/** Throws InvalidCursorError for anything encodeCallCursor could not have produced. */
export function decodeCallCursor(text: string): CallCursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error("not base64url");
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError(text);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError(text);
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== "string" || !TIMESTAMP.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
    throw new InvalidCursorError(text);
  }
  if (typeof id !== "string" || !UUID.test(id)) throw new InvalidCursorError(text);
  return { createdAt, id };
}
