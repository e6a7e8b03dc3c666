import type { CompletionService } from "../gateway/create-completion-service.js";
import type { Principal } from "../governance/principal.js";
import type { GraphQLLoaders } from "./loaders.js";
import type { ReplicaReads } from "./note-replica-reads.js";
import type { GraphQLServices } from "./services.js";

/** Built once per request (HTTP) or per operation (WebSocket) by createContext. */
export interface GraphQLContext {
  /** Already scoped to the caller: a virtual key's services see only its own calls and usage. */
  services: GraphQLServices;
  /** Who is calling (authenticated before the context is built). */
  principal: Principal;
  loaders: GraphQLLoaders;
  /** Aborted when the HTTP client disconnects. */
  signal?: AbortSignal;
  /** Set with a read replica (`database.readUrl`): whether this request read it. */
  replicaReads?: ReplicaReads;
}

export type { CompletionService };
