import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type GraphQLFormattedError } from "graphql";
import { createClient, type Client, type ClientOptions } from "graphql-ws";
import { pino } from "pino";
import WebSocket from "ws";
import type { StartOptions } from "../../src/app/start-options.js";
import { startSwitchyard } from "../../src/app/start-switchyard.js";
import type { Switchyard } from "../../src/app/switchyard.js";
import { loadConfig } from "../../src/config/index.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

export interface TestGateway {
  url: string;
  switchyard: Switchyard;
  /** GraphQL over HTTP with a codegen-typed document; `key` goes in `Authorization: Bearer` (default: the master key, if any). */
  execute<T, V>(document: TypedDocumentNode<T, V>, variables: V, key?: string | null): Promise<GraphQLResult<T>>;
  /** A graphql-ws client on the same port and path; closed by close(). `key` goes in connectionParams (default: the master key). */
  wsClient(key?: string | null, options?: Partial<ClientOptions>): Client;
  /** Writes out everything the call log holds. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** SWITCHYARD_MASTER_KEY; absent = open dev mode. */
  masterKey?: string;
  /** Another gateway's database (a second instance of the same deployment); it stays open when this gateway closes. */
  shareDatabaseOf?: TestGateway;
  /** Loads the routers of quality and cascade groups (tests inject a fake scorer). */
  loadScorer?: StartOptions["loadScorer"];
  /** Where the gateway's spans go (tracing is off without it). */
  tracing?: StartOptions["tracing"];
  /** Where the gateway logs (default: nowhere). */
  logger?: StartOptions["logger"];
}

/** Boots the real server on port 0 against a fresh test database (PGlite, or Postgres with DATABASE_URL). */
export async function startTestGateway(configText: string, options: TestGatewayOptions = {}): Promise<TestGateway> {
  const testDatabase: TestDatabase | undefined = options.shareDatabaseOf ? undefined : await createTestDatabase();
  const database = options.shareDatabaseOf?.switchyard.database ?? testDatabase!.database;
  const stateDir = mkdtempSync(join(tmpdir(), "switchyard-test-"));
  const config = loadConfig({ text: configText, env: {} });
  const switchyard = await startSwitchyard({
    config,
    logger: options.logger ?? pino({ level: "silent" }),
    port: 0,
    host: "127.0.0.1",
    database,
    stateDir,
    ...(options.masterKey ? { masterKey: options.masterKey } : {}),
    ...(options.loadScorer ? { loadScorer: options.loadScorer } : {}),
    ...(options.tracing ? { tracing: options.tracing } : {}),
  });
  const bearer = (key: string | null | undefined) => {
    const chosen = key === undefined ? options.masterKey : key;
    return chosen ? `Bearer ${chosen}` : undefined;
  };
  const clients: Client[] = [];
  return {
    url: switchyard.url,
    switchyard,
    async execute(document, variables, key) {
      const authorization = bearer(key);
      const response = await fetch(`${switchyard.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: print(document), variables }),
      });
      const body = (await response.json()) as { data?: never; errors?: GraphQLFormattedError[] };
      return { status: response.status, ...body };
    },
    wsClient(key, clientOptions = {}) {
      const authorization = bearer(key);
      const client = createClient({
        url: `${switchyard.url.replace(/^http/, "ws")}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
        ...(authorization ? { connectionParams: { authorization } } : {}),
        ...clientOptions,
      });
      clients.push(client);
      return client;
    },
    flush: () => switchyard.callLog.flush(),
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
      await switchyard.close();
      await testDatabase?.dispose();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Collects every result of a subscription (or stops after `limit` results). */
export async function collect<T, V>(client: Client, document: TypedDocumentNode<T, V>, variables: V, limit = Infinity) {
  const results: Array<{ data?: T | null; errors?: readonly GraphQLFormattedError[] }> = [];
  const iterator = client.iterate<T>({ query: print(document), variables: variables as Record<string, unknown> });
  for await (const result of iterator) {
    results.push(result as never);
    if (results.length >= limit) break;
  }
  return results;
}
