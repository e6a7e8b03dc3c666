import type { OpenAIErrorResponse } from "./openai-error.js";

/** Azure's own errors carry a string `code` and no `type` (WIRE §2); validation errors stay OpenAI-shaped. */
export const azureError = (status: number, code: string, message: string): OpenAIErrorResponse => ({
  status,
  body: `{"error":{"code":"${code}","message":${JSON.stringify(message)}}}`,
});

export const azureAccessDenied = (): OpenAIErrorResponse =>
  azureError(
    401,
    "401",
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
  );

export const azureDeploymentNotFound = (): OpenAIErrorResponse =>
  azureError(
    404,
    "DeploymentNotFound",
    "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
  );

export const azureResourceNotFound = (): OpenAIErrorResponse => azureError(404, "404", "Resource not found");
