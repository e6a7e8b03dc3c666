/** GraphQL over HTTP to a running Switchyard, as the master key: what `switchyard keys|teams` use. */
export interface AdminClient {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** A refusal or an unreachable server, told in one line (exit code 1). */
export class AdminRequestError extends Error {
  override readonly name = "AdminRequestError";
}

export function createAdminClient(url: string, masterKey: string | undefined): AdminClient {
  const endpoint = `${url.replace(/\/+$/, "")}/graphql`;
  return {
    async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: { "content-type": "application/json", ...(masterKey ? { authorization: `Bearer ${masterKey}` } : {}) },
          body: JSON.stringify({ query, variables }),
        });
      } catch (error) {
        throw new AdminRequestError(`cannot reach Switchyard at ${endpoint} (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}): is it running? (--url, SWITCHYARD_URL)`);
      }
      const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
      if (body.errors && body.errors.length > 0) {
        throw new AdminRequestError(body.errors.map((e) => `${e.extensions?.code ?? "ERROR"}: ${e.message}`).join("; "));
      }
      if (!response.ok || body.data === undefined) throw new AdminRequestError(`Switchyard answered ${response.status} at ${endpoint}`);
      return body.data;
    },
  };
}
