/** `application/json`, with or without parameters (`; charset=utf-8`), in any case. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  // What nearly every client sends, compared as it is before it is split, trimmed and lower-cased.
  if (contentType === "application/json") return true;
  return contentType !== undefined && contentType.split(";", 1)[0]!.trim().toLowerCase() === "application/json";
}
