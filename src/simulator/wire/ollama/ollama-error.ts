import { SIMULATED, type WireResponse } from "../wire-format.js";

/** Ollama's errors are one flat string (WIRE §6.1). */
export const ollamaError = (status: number, message: string): WireResponse => ({ status, body: `{"error":${JSON.stringify(message)}}` });

/** What a runner crash mid-generation looks like, as a response and as a stream line. */
export const OLLAMA_RUNNER_ERROR = SIMULATED + "an error was encountered while running the model: unexpected EOF";
