/**
 * Why a write of call records failed, decided once from the underlying error:
 *
 * - `retryable` (the default): the database is away or busy — a cut connection ("Connection
 *   terminated unexpectedly", ECONNREFUSED, SQLSTATE 08xxx, 57P0x), a timeout, a serialization
 *   failure or deadlock (40xxx), too many connections (53xxx), or anything not known to be
 *   permanent. The same batch is written again later; nothing is dropped.
 * - not retryable: some record can never be stored as it is — the database refuses its data
 *   (SQLSTATE class 22 data exception such as 22P05 untranslatable character or 22021 invalid
 *   byte sequence, 23 integrity violation, 54 too complex), or it cannot be turned into rows
 *   (JSON.stringify overflows the stack on deeply nested metadata). Retrying would wedge the
 *   log, so the batch is split until the record is isolated and quarantined.
 *
 * `callId` names the record at fault when it is known without asking the database.
 */
export class CallWriteError extends Error {
  override readonly name = "CallWriteError";
  readonly retryable: boolean;
  /** The Postgres SQLSTATE, when the database answered with one. */
  readonly sqlState: string | undefined;
  readonly callId: string | undefined;

  constructor(message: string, options: { cause?: unknown; callId?: string; retryable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.sqlState = sqlStateOf(options.cause);
    this.callId = options.callId;
    this.retryable = options.retryable ?? !isPermanent(this.sqlState, options.cause, options.callId);
  }

  /** The error as a CallWriteError (itself when it already is one). */
  static from(error: unknown): CallWriteError {
    if (CallWriteError.isInstance(error)) return error;
    return new CallWriteError(rootCauseMessage(error), { cause: error });
  }

  static isInstance(error: unknown): error is CallWriteError {
    return error instanceof CallWriteError;
  }
}

/** SQLSTATE classes where the same statement fails again however often it is retried. */
const PERMANENT_SQLSTATE_CLASSES = new Set(["22", "23", "54"]);

function isPermanent(sqlState: string | undefined, cause: unknown, callId: string | undefined): boolean {
  if (sqlState !== undefined) return PERMANENT_SQLSTATE_CLASSES.has(sqlState.slice(0, 2));
  // Serializing one record failed: only that record is at fault, and it always will be.
  return callId !== undefined && (cause instanceof RangeError || cause instanceof TypeError);
}

function sqlStateOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The root cause's message, with its code: drizzle wraps driver errors in one whose message holds
 * the whole multi-row statement and its parameters, far too big for a log line.
 */
export function rootCauseMessage(error: unknown): string {
  try {
    return describeRootCause(error);
  } catch {
    // A thrown value that cannot even be turned into text (`{ toString: "" }`, a throwing getter):
    // the caller is often a last-resort path (the quarantine) that must not fail on it.
    return "<an error that cannot be described>";
  }
}

function describeRootCause(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause !== undefined; depth++) current = current.cause;
  const text = current instanceof Error ? current.message || current.name : String(current);
  const code = current instanceof Object ? (current as { code?: unknown }).code : undefined;
  const withCode = typeof code === "string" ? `${text} (${code})` : text;
  return withCode.length > 500 ? `${withCode.slice(0, 500)}…` : withCode;
}
