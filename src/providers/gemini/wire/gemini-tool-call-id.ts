/**
 * Gemini's thinking models sign their function calls (`thoughtSignature` on the part) and
 * Gemini 3 refuses a later turn whose function calls come back without that signature. A
 * ChatRequest has no field for it, so the signature rides inside the tool call id, which
 * clients echo back untouched. base64url keeps the id within `[A-Za-z0-9_-]`, the alphabet
 * the strictest providers (Anthropic, Bedrock) accept should the history move there.
 */
const SEPARATOR = "__ts__";

const toBase64Url = (base64: string): string => base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

const fromBase64Url = (text: string): string => {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padding = base64.length % 4 === 0 ? "" : "=".repeat(4 - (base64.length % 4));
  return base64 + padding;
};

/** The id a tool call gets: the call's own id, else `call_<index>`, plus its signature when it has one. */
export function encodeGeminiToolCallId(index: number, id: string | undefined, thoughtSignature: string | undefined): string {
  const base = id !== undefined && id !== "" ? id : `call_${index}`;
  return thoughtSignature !== undefined && thoughtSignature !== "" ? `${base}${SEPARATOR}${toBase64Url(thoughtSignature)}` : base;
}

/** The thought signature carried by an id made by `encodeGeminiToolCallId`, if any. */
export function decodeGeminiThoughtSignature(toolCallId: string): string | undefined {
  const at = toolCallId.indexOf(SEPARATOR);
  if (at === -1) return undefined;
  const encoded = toolCallId.slice(at + SEPARATOR.length);
  return encoded === "" ? undefined : fromBase64Url(encoded);
}
