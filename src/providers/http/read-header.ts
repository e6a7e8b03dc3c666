/** Response headers as undici hands them over: lower-case names, repeated headers as arrays. */
export type HttpHeaders = Record<string, string | string[] | undefined>;

/** The first value of a header, or undefined. `name` must be lower-case. */
export function readHeader(headers: HttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" ? value : value?.[0];
}
