import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql, type DocumentNode } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { print } from "@apollo/client/utilities";
import { expect } from "vitest";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { E2E_CONFIG } from "./gateway-config.js";

export const MASTER_KEY = "sk-master-apollo-client-test";
export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export const MODELS = gql`
  query ModelNames {
    models {
      name
    }
  }
`;
export const FIRST_MODEL = gql`
  query FirstModel {
    models {
      name
      aliases
    }
  }
`;
export const STREAM = gql`
  subscription Stream($input: CompletionInput!) {
    completionStream(input: $input) {
      callId
      index
      delta
      done
      finishReason
    }
  }
`;

export type Models = { models: Array<{ name: string }> };
export type StreamEvent = { callId: string; index: number; delta: string | null; done: boolean; finishReason: string | null };

/** What Apollo Client sends for a document: its cache's transform (`__typename` added), printed. */
export const sentText = (document: DocumentNode) => print(new InMemoryCache().transformDocument(document));

interface Sent {
  method: string;
  url: string;
  body: Record<string, unknown> | undefined;
  status: number;
}

/** An Apollo Client on HttpLink (with PersistedQueryLink in front when asked), recording what it sent. */
export function apolloClient(url: string, key: string, options: { persisted?: boolean; getForHashed?: boolean } = {}) {
  const sent: Sent[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    sent.push({ method: init?.method ?? "GET", url: String(input), body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined, status: response.status });
    return response;
  };
  const http = new HttpLink({ uri: `${url}/graphql`, fetch: recordingFetch, headers: { authorization: `Bearer ${key}` } });
  const link = options.persisted ? ApolloLink.from([new PersistedQueryLink({ sha256, useGETForHashedQueries: options.getForHashed ?? false }), http]) : http;
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
}

export interface SafelistGateway {
  gateway: TestGateway;
  /** A key created with safelistOnly: true. */
  safelistKey: string;
  post(body: unknown, options?: { key?: string; accept?: string }): Promise<{ status: number; headers: Headers; text: string; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  get(params: Record<string, unknown>, key?: string): Promise<{ status: number; headers: Headers; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

/**
 * The E2E gateway with a master key and a safelist (ModelNames and Stream, as Apollo Client sends them), and a
 * safelist-only key; `enforceFor` as in `server.graphql.safelist` (default: the config's, safelistOnlyKeys).
 */
export async function startSafelistGateway(options: { enforceFor?: "safelistOnlyKeys" | "allKeys" } = {}): Promise<SafelistGateway> {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-safelist-"));
  const manifest = join(dir, "persisted-query-manifest.json");
  const operations = [
    { name: "ModelNames", type: "query", body: sentText(MODELS) },
    { name: "Stream", type: "subscription", body: sentText(STREAM) },
  ].map((operation) => ({ id: sha256(operation.body), ...operation }));
  writeFileSync(manifest, JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations }));
  const gateway = await startTestGateway(`${E2E_CONFIG}\nserver:\n  graphql:\n    safelist: { manifest: ${JSON.stringify(manifest)}${options.enforceFor ? `, enforceFor: ${options.enforceFor}` : ""} }\n`, { masterKey: MASTER_KEY });
  const post: SafelistGateway["post"] = async (body, options = {}) => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${options.key ?? MASTER_KEY}`, ...(options.accept ? { accept: options.accept } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : undefined };
  };
  const get: SafelistGateway["get"] = async (params, key = MASTER_KEY) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) search.set(name, typeof value === "string" ? value : JSON.stringify(value));
    const response = await fetch(`${gateway.url}/graphql?${search}`, { headers: { authorization: `Bearer ${key}`, "apollo-require-preflight": "true" } });
    return { status: response.status, headers: response.headers, body: await response.json() };
  };
  const created = await post({ query: "mutation($input: VirtualKeyInput!) { createVirtualKey(input: $input) { secret key { safelistOnly } } }", variables: { input: { name: "browser", safelistOnly: true } } });
  expect(created.body.data.createVirtualKey.key.safelistOnly).toBe(true);
  return {
    gateway,
    safelistKey: created.body.data.createVirtualKey.secret,
    post,
    get,
    async close() {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `persistedQuery` extension of a text. */
export const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
