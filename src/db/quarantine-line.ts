import type { CallRecord } from "../core/index.js";
import { serializeCallRecord } from "./call-record-json.js";
import { rootCauseMessage } from "./call-write-error.js";

/** How much of an unserializable metadata value a quarantine line keeps, for a human to look at. */
const PREVIEW_CHARS = 2_000;
const PREVIEW_DEPTH = 8;

/**
 * One JSON line for the quarantine file: when, why, and the record — whole when it serializes,
 * otherwise with its metadata replaced by a bounded preview. Never throws, whatever the record
 * holds (a 5,000-deep metadata, a cycle, a getter that throws): a quarantine that could fail on
 * the records it exists for would lose them.
 */
export function quarantineLine(record: CallRecord, error: unknown, quarantinedAt: Date): string {
  const reason = { message: rootCauseMessage(error), ...sqlStateField(error) };
  const head = `{"quarantinedAt":${JSON.stringify(quarantinedAt.toISOString())},"error":${safeStringify(reason)},"record":`;
  return `${head}${recordJson(record)}}\n`;
}

function recordJson(record: CallRecord): string {
  const attempts = [
    () => serializeCallRecord(record),
    () => serializeCallRecord({ ...record, metadata: { $unserializable: preview(record.metadata) } }),
  ];
  for (const attempt of attempts) {
    try {
      // JSON.stringify answers undefined (not a string) for undefined and functions.
      const json: unknown = attempt();
      if (typeof json === "string") return json;
    } catch {
      // Next, smaller form.
    }
  }
  let id = "<unreadable>";
  try {
    id = String((record as { id?: unknown } | null | undefined)?.id);
  } catch {
    // An id whose toString throws: keep the placeholder.
  }
  return safeStringify({ id, $unserializable: preview(record) });
}

function sqlStateField(error: unknown): { sqlState?: string } {
  const sqlState = (error as { sqlState?: unknown } | null)?.sqlState;
  return typeof sqlState === "string" ? { sqlState } : {};
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return '"<unserializable>"';
  }
}

/** A depth- and length-bounded rendering, built without recursion on the value's own depth. */
function preview(value: unknown): string {
  let out = "";
  const visit = (node: unknown, depth: number): void => {
    if (out.length > PREVIEW_CHARS) return;
    if (node === null || typeof node !== "object") {
      out += typeof node === "string" ? JSON.stringify(node.slice(0, 200)) : String(node);
      return;
    }
    if (depth >= PREVIEW_DEPTH) {
      out += "…";
      return;
    }
    const entries = Array.isArray(node) ? node.map((item, index) => [String(index), item] as const) : Object.entries(node);
    out += Array.isArray(node) ? "[" : "{";
    entries.forEach(([key, item], index) => {
      if (index > 0) out += ",";
      if (!Array.isArray(node)) out += `${JSON.stringify(key.slice(0, 100))}:`;
      visit(item, depth + 1);
    });
    out += Array.isArray(node) ? "]" : "}";
  };
  try {
    visit(value, 0);
  } catch {
    out += "<unreadable>";
  }
  return out.length > PREVIEW_CHARS ? `${out.slice(0, PREVIEW_CHARS)}…` : out;
}
