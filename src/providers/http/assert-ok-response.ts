import type { ProviderError } from "../../core/index.js";
import type { HttpResponse } from "./create-http-client.js";
import type { HttpHeaders } from "./read-header.js";

/** Error bodies are only ever shown as a message or a snippet, so a huge one is cut here. */
export const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

/** A non-2xx answer as a provider's classifier takes it. */
export interface ErrorResponse {
  status: number;
  headers: HttpHeaders;
  bodyText: string;
}

/** Whether a status is a success (2xx), the test assertOkResponse makes. */
export const isOkStatus = (status: number): boolean => status >= 200 && status < 300;

/**
 * Every adapter treats a non-2xx status the same way: read a bounded error body and hand it to
 * the provider's own classifier. Keeping that here means the body limit and the 2xx test live
 * in one place; which ProviderError comes out stays each provider's decision.
 */
export async function assertOkResponse(
  response: HttpResponse,
  classify: (failure: ErrorResponse) => ProviderError,
): Promise<void> {
  if (isOkStatus(response.status)) return;
  throw classify({
    status: response.status,
    headers: response.headers,
    bodyText: await response.text(ERROR_BODY_LIMIT_BYTES),
  });
}
