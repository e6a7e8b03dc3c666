/**
 * Readers shared by the codecs' request decoders (`src/providers/<name>/wire/decode-*-request.ts`):
 * what a request asks for, in terms every wire format can be read into.
 */

/** A function tool as a decoded request names it: its name and JSON-schema parameters. */
export interface WireTool {
  name: string;
  parameters: unknown;
}

export type WireToolChoice = "none" | "auto" | "required" | { name: string };

export type WireResponseFormat = { type: "text" } | { type: "json_object" } | { type: "json_schema"; schema: unknown };

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Text of a message's content: the string itself, or its text parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content) {
    if (isRecord(part) && typeof part.text === "string") text += part.text;
  }
  return text;
}

/** Text of the last message whose role is "user" (OpenAI-like `content`). */
export function lastUserText(messages: readonly unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (isRecord(message) && message.role === "user") return contentText(message.content);
  }
  return "";
}

/** A non-negative integer limit: undefined when absent or null, "invalid" when it is anything else. */
export function readLimit(value: unknown): number | undefined | "invalid" {
  if (value === undefined || value === null) return undefined;
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : "invalid";
}

/** Stop strings from a string or an array; empty strings are dropped. */
export function readStop(stop: unknown): string[] {
  if (typeof stop === "string") return stop === "" ? [] : [stop];
  if (Array.isArray(stop)) return stop.filter((s): s is string => typeof s === "string" && s !== "");
  return [];
}
