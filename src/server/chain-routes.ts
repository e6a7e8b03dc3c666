import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * A set of routes: `false`, returned at once, when the request is not for one of its own; else the
 * promise of answering it. Not an async function that resolves to false: a `/v1` call passes the
 * route sets before its own, and each awaited miss cost a promise and a microtask.
 */
export type Routes = (request: IncomingMessage, response: ServerResponse, path: string) => false | Promise<void>;

/** Several sets of routes as one, tried in order: the first that takes the request answers it. */
export function chainRoutes(...routes: Routes[]): Routes {
  return (request, response, path) => {
    for (const route of routes) {
      const answering = route(request, response, path);
      if (answering !== false) return answering;
    }
    return false;
  };
}
