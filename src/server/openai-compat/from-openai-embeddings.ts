import { badInput, type EmbeddingRequest } from "../../core/index.js";
import type { EmbeddingOutcome } from "../../gateway/embedding-types.js";

/** An OpenAI embeddings body → the unified request; `encoding_format` decides the answer's shape only. */
export function fromOpenAIEmbeddings(body: Record<string, unknown>): { request: EmbeddingRequest; base64: boolean } {
  if (typeof body.model !== "string" || body.model === "") throw badInput("model: required string", { param: "model" });
  const raw = body.input;
  let input: string[];
  if (typeof raw === "string") input = [raw];
  else if (Array.isArray(raw) && raw.every((item) => typeof item === "string")) input = raw as string[];
  else if (Array.isArray(raw) && raw.length > 0 && raw.every((item) => typeof item === "number" || Array.isArray(item))) {
    throw badInput("input: token arrays are not supported by this gateway (its deployments do not share one tokenizer); send text", { param: "input" });
  } else throw badInput("input: a string or an array of strings", { param: "input" });
  const format = body.encoding_format;
  if (format !== undefined && format !== null && format !== "float" && format !== "base64") {
    throw badInput('encoding_format: "float" or "base64"', { param: "encoding_format" });
  }
  const request: EmbeddingRequest = { model: body.model, input };
  if (body.dimensions !== undefined && body.dimensions !== null) {
    if (typeof body.dimensions !== "number") throw badInput("dimensions: must be a positive integer", { param: "dimensions" });
    request.dimensions = body.dimensions;
  }
  if (typeof body.user === "string") request.user = body.user;
  return { request, base64: format === "base64" };
}

/** A vector as OpenAI's base64: the little-endian float32 bytes. */
export function toBase64Vector(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString("base64");
}

/** The outcome in OpenAI's `list` shape. */
export function toOpenAIEmbeddings(outcome: EmbeddingOutcome, base64: boolean) {
  const tokens = outcome.response.inputTokens;
  return {
    object: "list",
    data: outcome.response.vectors.map((vector, index) => ({ object: "embedding", index, embedding: base64 ? toBase64Vector(vector) : vector })),
    model: outcome.response.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
