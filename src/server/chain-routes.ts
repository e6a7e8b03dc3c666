import type { IncomingMessage, ServerResponse } from "node:http";

/** A set of routes: answers and returns true when the path is one of its own. */
export type Routes = (request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean>;

/** Several sets of routes as one, tried in order. */
export function chainRoutes(...routes: Routes[]): Routes {
  // Not an async function: the promise of the route that answers is passed on as it is, and no frame
  // stays suspended for as long as a stream that route answers is open.
  const from = (at: number, request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> => {
    if (at >= routes.length) return Promise.resolve(false);
    const answered = routes[at]!(request, response, path);
    return at === routes.length - 1 ? answered : answered.then((matched) => matched || from(at + 1, request, response, path));
  };
  return (request, response, path) => {
    try {
      return from(0, request, response, path);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}
