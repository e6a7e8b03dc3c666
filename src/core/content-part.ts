/**
 * The parts a message's content can have beyond plain text. Parts are OpenAI-shaped in meaning
 * (`image_url` parts of chat completions), with Anthropic's cache breakpoints carried along.
 */

/** A prompt-cache breakpoint (Anthropic `cache_control`): the prompt up to and including this part may be cached. */
export interface CacheControl {
  type: "ephemeral";
  /** Anthropic's cache lifetime ("5m" or "1h"); absent = the provider's default. */
  ttl?: string;
}

export interface TextPart {
  type: "text";
  text: string;
  cacheControl?: CacheControl;
}

export interface ImagePart {
  type: "image";
  /** An http(s) URL, or a `data:<media type>;base64,<data>` URL carrying the image itself. */
  url: string;
  /** OpenAI's `detail` (auto, low, high); other providers ignore it. */
  detail?: string;
  cacheControl?: CacheControl;
}

export type ContentPart = TextPart | ImagePart;

/** A message's content: plain text, parts, or nothing (an assistant turn that only called tools). */
export type MessageContent = string | ContentPart[] | null;

/** The text of a message's content, its text parts joined; null when there is none. */
export function contentText(content: MessageContent): string | null {
  if (content === null || typeof content === "string") return content;
  const texts = content.filter((part): part is TextPart => part.type === "text");
  return texts.length > 0 ? texts.map((part) => part.text).join("") : null;
}

/** The content as parts (a string is one text part; empty text adds none). */
export function contentParts(content: MessageContent): ContentPart[] {
  if (content === null) return [];
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  return content;
}

/** Whether any message carries an image (what needs a vision-capable model). */
export const hasImagePart = (content: MessageContent): boolean =>
  Array.isArray(content) && content.some((part) => part.type === "image");

/** An image carried inline: its media type and base64 data. */
export interface InlineImage {
  mediaType: string;
  /** Base64, as it was in the URL. */
  data: string;
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?((?:;[\w-]+=[^;,]*)*);base64,(.*)$/s;

/** A `data:…;base64,…` URL's media type and data; undefined for any other URL (http, or not base64). */
export function parseDataUrl(url: string): InlineImage | undefined {
  const match = DATA_URL.exec(url);
  if (!match) return undefined;
  return { mediaType: match[1] ?? "application/octet-stream", data: match[3] ?? "" };
}

/** An inline image as a data URL (what providers that answer with base64 become in the unified shape). */
export const toDataUrl = (image: InlineImage): string => `data:${image.mediaType};base64,${image.data}`;
