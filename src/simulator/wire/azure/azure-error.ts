import { SIMULATED, type WireResponse } from "../wire-format.js";

/** Azure's own errors carry a string `code` and no `type` (WIRE §2); validation errors stay OpenAI-shaped. */
export const azureError = (status: number, code: string, message: string): WireResponse => ({
  status,
  body: `{"error":{"code":"${code}","message":${JSON.stringify(message)}}}`,
});

export const azureAccessDenied = (): WireResponse =>
  azureError(
    401,
    "401",
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
  );

export const azureDeploymentNotFound = (): WireResponse =>
  azureError(
    404,
    "DeploymentNotFound",
    "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
  );

export const azureResourceNotFound = (): WireResponse => azureError(404, "404", "Resource not found");

export const azureRateLimited = (apiVersion: string, retryAfterSeconds: number): WireResponse =>
  azureError(
    429,
    "429",
    `${SIMULATED}Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${apiVersion} have exceeded call rate limit of your current OpenAI S0 pricing tier. ` +
      `Please retry after ${retryAfterSeconds} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
  );
