/** Long enough to show what an HTML error page or a proxy's text says, short enough for a log line. */
const SNIPPET_LENGTH = 300;

/**
 * The message for an error whose body named none: `prefix` (`HTTP 502`, `error event in stream`)
 * followed by the trimmed start of the body, so an operator sees what actually arrived. When the
 * body is empty, `detail` (e.g. an error type) is shown instead, if there is one.
 */
export function fallbackErrorMessage(prefix: string, bodyText: string | undefined, detail?: string): string {
  const trimmed = bodyText?.trim() ?? "";
  const shown = trimmed.length > SNIPPET_LENGTH ? `${trimmed.slice(0, SNIPPET_LENGTH)}…` : trimmed;
  if (shown !== "") return `${prefix}: ${shown}`;
  return detail !== undefined ? `${prefix}: ${detail}` : prefix;
}
