/** An Ollama error response: its status and serialized body. */
export interface OllamaErrorResponse {
  status: number;
  body: string;
}

/** Ollama's errors are one flat string (WIRE §6.1). */
export const ollamaError = (status: number, message: string): OllamaErrorResponse => ({ status, body: `{"error":${JSON.stringify(message)}}` });
