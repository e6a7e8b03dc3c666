import type { GeminiAnswer, GeminiAnswerPart, GeminiUsage } from "./gemini-wire-types.js";

/** Full usage (the last stream chunk and whole bodies); cached and thought tokens only when there are some. */
export function encodeGeminiUsage({ promptTokenCount, candidatesTokenCount, cachedContentTokenCount, thoughtsTokenCount }: GeminiUsage): string {
  const cached = cachedContentTokenCount > 0 ? `"cachedContentTokenCount":${cachedContentTokenCount},` : "";
  const thoughts = thoughtsTokenCount > 0 ? `"thoughtsTokenCount":${thoughtsTokenCount},` : "";
  return (
    `{"promptTokenCount":${promptTokenCount},"candidatesTokenCount":${candidatesTokenCount},"totalTokenCount":${promptTokenCount + candidatesTokenCount + thoughtsTokenCount},${cached}${thoughts}` +
    `"promptTokensDetails":[{"modality":"TEXT","tokenCount":${promptTokenCount}}],"candidatesTokensDetails":[{"modality":"TEXT","tokenCount":${candidatesTokenCount}}]}`
  );
}

/** Earlier stream chunks repeat only the prompt's usage (WIRE §4.4). */
export const encodeGeminiPromptUsage = ({ promptTokenCount }: GeminiUsage): string =>
  `{"promptTokenCount":${promptTokenCount},"totalTokenCount":${promptTokenCount},"promptTokensDetails":[{"modality":"TEXT","tokenCount":${promptTokenCount}}]}`;

const signed = (signature: string | undefined): string => (signature !== undefined ? `,"thoughtSignature":${JSON.stringify(signature)}` : "");

/** One part's JSON with `text` in place of its pieces: a thought summary, text, or a whole function call (args as an object; the API sends no call id). */
export function encodeGeminiPart(part: GeminiAnswerPart, text: string, signature: string | undefined): string {
  if (part.type === "thought") return `{"text":${JSON.stringify(text)},"thought":true}`;
  if (part.type === "text") return `{"text":${JSON.stringify(text)}${signed(signature)}}`;
  return `{"functionCall":{"name":${JSON.stringify(part.name)},"args":${part.args === "" ? "{}" : part.args}}${signed(signature)}}`;
}

/** One GenerateContentResponse holding `parts` (JSON); `finish` adds finishReason and the full usage. */
export function encodeGeminiChunk(answer: GeminiAnswer, parts: string, finish: boolean): string {
  const candidate = finish
    ? `{"content":{"parts":[${parts}],"role":"model"},"finishReason":"${answer.finishReason}","index":0}`
    : `{"content":{"parts":[${parts}],"role":"model"},"index":0}`;
  const usage = finish ? encodeGeminiUsage(answer.usage) : encodeGeminiPromptUsage(answer.usage);
  return `{"candidates":[${candidate}],"usageMetadata":${usage},"modelVersion":${JSON.stringify(answer.modelVersion)},"responseId":${JSON.stringify(answer.responseId)}}`;
}

/** A non-streaming generateContent answer (WIRE §4.3); `candidates` > 1 repeats the candidate with its `index`, each counted in usage. */
export function encodeGeminiResponse(answer: GeminiAnswer): string {
  const parts = answer.parts
    .map((part) => encodeGeminiPart(part, part.type === "functionCall" ? "" : part.pieces.join(""), part.type === "thought" ? undefined : part.thoughtSignature))
    .join(",");
  const candidates = answer.candidates ?? 1;
  if (candidates === 1) return encodeGeminiChunk(answer, parts, true);
  const list = Array.from({ length: candidates }, (_, index) => `{"content":{"parts":[${parts}],"role":"model"},"finishReason":"${answer.finishReason}","index":${index}}`);
  const usage = encodeGeminiUsage({ ...answer.usage, candidatesTokenCount: answer.usage.candidatesTokenCount * candidates });
  return `{"candidates":[${list.join(",")}],"usageMetadata":${usage},"modelVersion":${JSON.stringify(answer.modelVersion)},"responseId":${JSON.stringify(answer.responseId)}}`;
}

/** A 200 body that starts like a GenerateContentResponse and stops being JSON. */
export function encodeGeminiGarbageResponse(): string {
  return `{"candidates":[{"content":{"parts":[{"te<<garbage>>`;
}
