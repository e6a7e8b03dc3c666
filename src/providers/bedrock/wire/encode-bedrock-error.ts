/**
 * A rest-json error (WIRE §5.4), which `classifyBedrockError` reads back: body `{"message":…}`, the
 * exception name in `x-amzn-ErrorType` (with the coral namespace suffix SDKs strip), and the request
 * id when there is one.
 */
export function encodeBedrockError(type: string, message: string, requestId?: string): { body: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { "x-amzn-ErrorType": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` };
  if (requestId !== undefined) headers["x-amzn-RequestId"] = requestId;
  return { body: `{"message":${JSON.stringify(message)}}`, headers };
}
