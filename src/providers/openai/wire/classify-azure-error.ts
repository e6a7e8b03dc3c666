import { ProviderError } from "../../../core/index.js";
import { parseErrorBody } from "../../http/parse-error-body.js";
import { classifyOpenAIError, type OpenAIErrorInput } from "./classify-openai-error.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** `hate=high, jailbreak=detected`: the categories that tripped the filter. */
const describeFilterResults = (results: Json): string => {
  const tripped: string[] = [];
  for (const [category, result] of Object.entries(results)) {
    if (!isObject(result) || result.filtered !== true) continue;
    const detail = typeof result.severity === "string" ? result.severity : result.detected === true ? "detected" : "filtered";
    tripped.push(`${category}=${detail}`);
  }
  return tripped.join(", ");
};

/** The inner error of a content-filter refusal, as `(code: categories)`, or "" when there is none. */
const describeInnerError = (body: unknown): string => {
  const error = isObject(body) ? body.error : undefined;
  const inner = isObject(error) ? error.innererror : undefined;
  if (!isObject(inner)) return "";
  const code = typeof inner.code === "string" ? inner.code : "";
  const results = inner.content_filter_result ?? inner.content_filter_results;
  const categories = isObject(results) ? describeFilterResults(results) : "";
  const parts = [code, categories].filter((part) => part !== "");
  return parts.length === 0 ? "" : ` (${parts.join(": ")})`;
};

/**
 * An Azure OpenAI error response as a ProviderError. Azure's bodies are OpenAI's shape (with
 * string codes such as "429" and "DeploymentNotFound"), so classifyOpenAIError decides the kind;
 * a content-filter refusal (400 `content_filter`) also keeps which categories tripped, from the
 * inner error, because that is what an operator needs to see in the call log.
 */
export function classifyAzureError(input: OpenAIErrorInput): ProviderError {
  const error = classifyOpenAIError(input);
  if (error.kind !== "content_policy") return error;
  const body = parseErrorBody(input);
  const detail = describeInnerError(body);
  if (detail === "") return error;
  return new ProviderError({
    kind: error.kind,
    provider: error.provider,
    message: `${error.message}${detail}`,
    retryable: error.retryable,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  });
}
