import type { CompletionService } from "../gateway/create-completion-service.js";
import type { GraphQLLoaders } from "./loaders.js";
import type { GraphQLServices } from "./services.js";

/** Built once per request (HTTP) or per operation (WebSocket) by createContext. */
export interface GraphQLContext {
  services: GraphQLServices;
  loaders: GraphQLLoaders;
  /** Aborted when the HTTP client disconnects. */
  signal?: AbortSignal;
}

export type { CompletionService };
