/** An error's message for a one-line report (an AggregateError's first inner error, as node-postgres throws for a refused connection). */
export function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
