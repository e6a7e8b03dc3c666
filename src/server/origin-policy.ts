import { BlockList, isIP } from "node:net";

/** Whether a browser page of this `Origin` may open a WebSocket or send a POST to this `Host`; undefined = no such header. */
export type OriginPolicy = (origin: string | undefined, host: string | undefined) => boolean;

export interface OriginPolicyOptions {
  /** `server.allowedOrigins`: when set, exactly these origins (and callers sending no Origin). */
  allowedOrigins?: readonly string[] | undefined;
  /** Open dev mode: every caller is admin, so by default only pages served from this machine may drive it. */
  openMode: boolean;
  /**
   * Whether the gateway's own pages (playground, dashboard: `Origin` naming the request's `Host`) may,
   * whatever the list says. Safe unless open dev mode is on the network, where a rebound DNS name
   * would pass as the gateway's own page.
   */
  sameOrigin: boolean;
}

/**
 * The browser-origin rule of every door. A request without `Origin` is not sent by a browser on behalf
 * of another site (curl, SDKs, graphql-ws in Node), so it is allowed; browsers always send `Origin` on
 * WebSocket upgrades and on POSTs. With a master key a foreign page cannot act without the key itself,
 * so any origin is allowed unless an allow-list is configured; in open dev mode a foreign page could
 * create keys and read their secrets, so only loopback origins are (`null`, sent by sandboxed frames,
 * is refused).
 */
export function createOriginPolicy(options: OriginPolicyOptions): OriginPolicy {
  const listed = listedOrigins(options);
  return (origin, host) => origin === undefined || listed(origin) || (options.sameOrigin && isSameOrigin(origin, host));
}

function listedOrigins(options: OriginPolicyOptions): (origin: string) => boolean {
  if (options.allowedOrigins !== undefined) {
    const allowed = new Set(options.allowedOrigins.map((origin) => normalizeOrigin(origin)));
    return (origin) => allowed.has(normalizeOrigin(origin));
  }
  return options.openMode ? isLoopbackOrigin : () => true;
}

/** The page was served under the name the request is addressed to (any scheme: TLS may end in front of the gateway). */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  const url = parseOrigin(origin);
  return url !== undefined && host !== undefined && url.host === host.toLowerCase();
}

/**
 * A `Host` header that names this machine (`localhost:4000`, `127.0.0.1`, `[::1]:80`); none at all
 * (HTTP/1.0) passes too. Open dev mode on loopback answers only such requests: a page whose own name
 * was re-pointed to 127.0.0.1 (DNS rebinding) is same-origin with the gateway, sends no Origin on GET
 * and could read every stored prompt, but its requests still carry its own name as Host.
 */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined) return true;
  // Every request asks, and parsing the header as a URL plus the address check cost more than
  // the rest of the edge: the verdicts of recent headers are kept (a handful in practice).
  let verdict = hostVerdicts.get(host);
  if (verdict === undefined) {
    try {
      verdict = isLoopbackHost(new URL(`http://${host}`).hostname);
    } catch {
      verdict = false;
    }
    if (hostVerdicts.size >= MAX_HOST_VERDICTS) hostVerdicts.clear();
    hostVerdicts.set(host, verdict);
  }
  return verdict;
}

const MAX_HOST_VERDICTS = 256;
const hostVerdicts = new Map<string, boolean>();

/** `http(s)://localhost|127.x.x.x|[::1]` on any port. */
export function isLoopbackOrigin(origin: string): boolean {
  const url = parseOrigin(origin);
  return url !== undefined && isLoopbackHost(url.hostname);
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");
LOOPBACK.addSubnet("::ffff:127.0.0.0", 104, "ipv6");

/** A host name or address that only this machine can reach: `localhost`, 127.0.0.0/8, `::1` (bracketed or not). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? "ipv4" : "ipv6");
}

function parseOrigin(origin: string): URL | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Scheme and host lower-cased, default port dropped: `HTTPS://App.example.com:443` → `https://app.example.com`. */
function normalizeOrigin(origin: string): string {
  return parseOrigin(origin)?.origin ?? origin;
}
