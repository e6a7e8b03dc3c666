import type { IncomingMessage, ServerResponse } from "node:http";

/** A set of routes: answers and returns true when the path is one of its own. */
export type Routes = (request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean>;

/** Several sets of routes as one, tried in order. */
export function chainRoutes(...routes: Routes[]): Routes {
  return async (request, response, path) => {
    for (const route of routes) if (await route(request, response, path)) return true;
    return false;
  };
}
