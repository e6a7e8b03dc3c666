import type { AttemptRecord, CallRecord } from "../core/index.js";

/** One JSON line for a spill file: bigints as decimal strings, dates as ISO strings. */
export function serializeCallRecord(record: CallRecord): string {
  // The two known bigints are converted up front: a replacer function makes JSON.stringify call
  // back for every key (about 3x slower), and this runs on the request path with the write-ahead file.
  try {
    return JSON.stringify({
      ...record,
      costPico: String(record.costPico),
      attempts: record.attempts.map((attempt) => ({ ...attempt, costPico: String(attempt.costPico) })),
    });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    // A bigint somewhere else (metadata): the general, slower form.
    return JSON.stringify(record, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
  }
}

/** The inverse of serializeCallRecord; undefined for a line that is not a call record (e.g. torn by a crash). */
export function parseCallRecord(line: string): CallRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(raw) || typeof raw.id !== "string" || !Array.isArray(raw.attempts)) return undefined;
  const createdAt = toDate(raw.createdAt);
  const costPico = toBigInt(raw.costPico);
  if (createdAt === undefined || costPico === undefined) return undefined;
  const attempts: AttemptRecord[] = [];
  for (const item of raw.attempts as unknown[]) {
    if (!isObject(item)) return undefined;
    const startedAt = toDate(item.startedAt);
    const attemptCost = toBigInt(item.costPico);
    if (startedAt === undefined || attemptCost === undefined) return undefined;
    attempts.push({ ...(item as unknown as AttemptRecord), startedAt, costPico: attemptCost });
  }
  return { ...(raw as unknown as CallRecord), createdAt, costPico, attempts };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

function toDate(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function toBigInt(value: unknown): bigint | undefined {
  return typeof value === "string" && /^-?\d+$/.test(value) ? BigInt(value) : undefined;
}
