/** An error as google.rpc.Status JSON (WIRE §4.5), which `classifyGeminiError` reads back; `details` are serialized entries. */
export function encodeGeminiError(code: number, status: string, message: string, details: readonly string[] = []): string {
  const list = details.length === 0 ? "" : `,"details":[${details.join(",")}]`;
  return `{"error":{"code":${code},"message":${JSON.stringify(message)},"status":"${status}"${list}}}`;
}
