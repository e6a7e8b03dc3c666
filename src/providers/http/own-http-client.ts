import { createHttpClient, type HttpClient } from "./create-http-client.js";

export interface OwnedHttpClient {
  http: HttpClient;
  /** Closes the client only when it was created here: a shared pool belongs to whoever passed it. */
  close(): Promise<void>;
}

/**
 * Adapters may share one connection pool or have their own. This decides which once, so that an
 * adapter's `close()` never closes a pool other adapters still use.
 */
export function ownHttpClient(shared: HttpClient | undefined, create: () => HttpClient = createHttpClient): OwnedHttpClient {
  if (shared !== undefined) return { http: shared, close: async () => {} };
  const http = create();
  return {
    http,
    close: async () => {
      await http.close();
    },
  };
}
