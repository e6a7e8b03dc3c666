// Talks to the gateway's /graphql like any client: the stored key (same one the playground uses)
// goes in `Authorization: Bearer` on fetches and in connectionParams on the WebSocket.
const KEY_STORAGE = "switchyard.key";

export function readKey() {
  return localStorage.getItem(KEY_STORAGE) || "";
}

export function storeKey(key) {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

function authHeaders() {
  const key = readKey();
  return key ? { authorization: "Bearer " + key } : {};
}

export class GatewayError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** One GraphQL operation over HTTP; throws a GatewayError carrying the first error's code. */
export async function query(text, variables) {
  const response = await fetch(new URL("/graphql", location.href), {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders() },
    body: JSON.stringify({ query: text, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new GatewayError(`HTTP ${response.status}`, "INTERNAL");
  }
  const error = body.errors?.[0];
  if (error) throw new GatewayError(error.message, error.extensions?.code ?? "INTERNAL");
  return body.data;
}

/** A graphql-ws client (the UMD build's global) on /graphql; `onState` gets connecting | connected | closed | refused. */
export function connectLive(onState) {
  const url = new URL("/graphql", location.href).toString().replace(/^http/, "ws");
  return graphqlWs.createClient({
    url,
    connectionParams: () => authHeaders(),
    lazy: false,
    retryAttempts: Infinity,
    // A refused key stays refused until the user enters another one (which opens a new client).
    shouldRetry: (event) => !(event && (event.code === 4401 || event.code === 4403)),
    on: {
      connecting: () => onState("connecting"),
      connected: () => onState("connected"),
      closed: (event) => onState(event && (event.code === 4401 || event.code === 4403) ? "refused" : "closed"),
    },
  });
}
