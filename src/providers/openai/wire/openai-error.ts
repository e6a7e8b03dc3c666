/**
 * Error responses in OpenAI's shape (WIRE §1.6): all four keys present, `param`/`code` nullable.
 * Messages copy the real API's wording so clients that log them look familiar.
 */
export interface OpenAIErrorResponse {
  status: number;
  /** Serialized `{"error":{message,type,param,code}}`. */
  body: string;
  headers?: Record<string, string>;
}

export function openAIError(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
): OpenAIErrorResponse {
  return { status, body: JSON.stringify({ error: { message, type, param, code } }) };
}

export const invalidUrl = (method: string, path: string): OpenAIErrorResponse =>
  openAIError(404, `Invalid URL (${method} ${path})`, "invalid_request_error");

export const modelNotFound = (name: string): OpenAIErrorResponse =>
  openAIError(
    404,
    `The model \`${name}\` does not exist or you do not have access to it.`,
    "invalid_request_error",
    null,
    "model_not_found",
  );

export function invalidApiKey(authorization: string | undefined): OpenAIErrorResponse {
  const key = authorization?.replace(/^Bearer\s+/i, "") ?? "";
  const message =
    key === ""
      ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
      : `Incorrect API key provided: ${key.slice(0, 3)}…${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`;
  return openAIError(401, message, "invalid_request_error", null, "invalid_api_key");
}

export const invalidJson = (): OpenAIErrorResponse =>
  openAIError(
    400,
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    "invalid_request_error",
  );

export const invalidParameter = (param: string, message: string, code: string | null = null): OpenAIErrorResponse =>
  openAIError(400, message, "invalid_request_error", param, code);
