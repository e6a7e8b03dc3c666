import type { ServerResponse } from "node:http";

const PREVIOUS = Symbol("switchyard.inFlight.previous");
const NEXT = Symbol("switchyard.inFlight.next");
type Linked = ServerResponse & { [PREVIOUS]?: Linked | undefined; [NEXT]?: Linked | undefined };

/**
 * The HTTP answers begun and not yet finished, for a graceful stop (drain-connections.ts): a list threaded
 * through the responses themselves, two properties under symbols. Not a Set: an entry per request, its key a
 * new ServerResponse hashed on first use, cost ~0.6–1 µs per request in process on this machine (real
 * responses, 50 live at once, garbage as a request makes it); the list costs nothing measurable there.
 * An answer is in one list at most (its server's).
 */
export class InFlightAnswers implements Iterable<ServerResponse> {
  private first: Linked | undefined = undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds an answer, taken out again when it closes. */
  add(response: ServerResponse): void {
    // `on`, not `once`: a response closes once, and `once` wraps the listener in a bound function of its own.
    response.on("close", () => this.delete(response));
    const linked = response as Linked;
    linked[PREVIOUS] = undefined;
    linked[NEXT] = this.first;
    if (this.first !== undefined) this.first[PREVIOUS] = linked;
    this.first = linked;
    this.count += 1;
  }

  /** Takes an answer out; a no-op for one that is not in (an event feed, taken out when it began, closing). */
  delete(response: ServerResponse): void {
    const linked = response as Linked;
    const previous = linked[PREVIOUS];
    if (previous === undefined && this.first !== linked) return;
    const next = linked[NEXT];
    if (previous !== undefined) previous[NEXT] = next;
    else this.first = next;
    if (next !== undefined) next[PREVIOUS] = previous;
    linked[PREVIOUS] = undefined;
    linked[NEXT] = undefined;
    this.count -= 1;
  }

  *[Symbol.iterator](): Iterator<ServerResponse> {
    for (let at = this.first; at !== undefined; at = at[NEXT]) yield at;
  }
}
