import type { HttpResponse } from "../create-http-client.js";
import type { HttpHeaders } from "../read-header.js";

export interface FakeHttpResponseInit {
  status?: number;
  headers?: HttpHeaders;
  /** The body as text; `text(maxBytes)` cuts it as the real client does. */
  bodyText?: string;
  /** The body as chunks or a failing iterable, for stream tests. */
  body?: AsyncIterable<Uint8Array>;
}

/** An HttpResponse without a socket, recording how it was finished, for unit tests of the http helpers. */
export interface FakeHttpResponse extends HttpResponse {
  readonly released: number;
  readonly aborted: number;
  /** The `maxBytes` each `text()` call was given. */
  readonly textLimits: (number | undefined)[];
}

export function fakeHttpResponse(init: FakeHttpResponseInit = {}): FakeHttpResponse {
  const bodyText = init.bodyText ?? "";
  const textLimits: (number | undefined)[] = [];
  let released = 0;
  let aborted = 0;
  return {
    status: init.status ?? 200,
    headers: init.headers ?? {},
    body: init.body ?? (async function* () {})(),
    text: async (maxBytes?: number) => {
      textLimits.push(maxBytes);
      const bytes = Buffer.from(bodyText, "utf8");
      return (maxBytes !== undefined ? bytes.subarray(0, maxBytes) : bytes).toString("utf8");
    },
    release: () => {
      released++;
    },
    abort: () => {
      aborted++;
    },
    get released() {
      return released;
    },
    get aborted() {
      return aborted;
    },
    textLimits,
  };
}
