/**
 * An error body in Anthropic's shape (WIRE §3.5): `{"type":"error","error":{type,message},"request_id"}`;
 * `request_id` only once the request has one (refusals before parsing go without, like older
 * responses). `classifyAnthropicError` reads it back.
 */
export function encodeAnthropicError(type: string, message: string, requestId?: string): string {
  const id = requestId === undefined ? "" : `,"request_id":"${requestId}"`;
  return `{"type":"error","error":{"type":"${type}","message":${JSON.stringify(message)}}${id}}`;
}
