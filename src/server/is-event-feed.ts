import { getOperationAST, Kind, type DocumentNode } from "graphql";

/**
 * Subscription fields that never end on their own: they push events for as long as the client
 * listens. A drain does not wait for them (a dashboard left open would hold every shutdown for the
 * whole grace period); everything else — completionStream, queries and mutations over WebSocket —
 * records calls, so the drain lets it finish.
 */
const EVENT_FEED_FIELDS: ReadonlySet<string> = new Set(["deploymentHealthChanged"]);

/** Whether an operation only listens to event feeds. */
export function isEventFeed(document: DocumentNode, operationName?: string | null): boolean {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== "subscription") return false;
  return operation.selectionSet.selections.every(
    (selection) => selection.kind === Kind.FIELD && (selection.name.value === "__typename" || EVENT_FEED_FIELDS.has(selection.name.value)),
  );
}
