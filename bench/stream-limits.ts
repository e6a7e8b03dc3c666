import { readFileSync } from "node:fs";

/** Streams per HTTP/2 connection the gateway's client opens (undici's default, Node's server allows more). */
export const H2_STREAMS_PER_CONNECTION = 100;
/** Descriptors a process needs beside its sockets (files, pipes, the database pool, epoll, …). */
const SPARE_DESCRIPTORS = 512;

/** What the machine lets one concurrent-streams run hold: descriptors per process and loopback ports. */
export interface MachineLimits {
  /** `ulimit -n` of this process (soft), inherited by the gateway and the simulator; and the hard one. */
  openFiles: number;
  openFilesHard: number;
  /** net.ipv4.ip_local_port_range: ports a client socket may take, per destination address and port. */
  ephemeralPorts: { low: number; high: number };
}

/** The connections one run needs and allows, and any limit that bites, said in words. */
export interface StreamPlan {
  /** The deployment's `connections`: enough for every stream at once unless the descriptors forbid it. */
  upstreamConnections: number;
  /** Streams the gateway can have upstream at once with that many connections. */
  upstreamStreams: number;
  /** Descriptors the gateway needs for the run: a socket per client stream plus its upstream connections. */
  gatewayDescriptors: number;
  /** One line per limit that bites (empty: none). */
  limitsBiting: string[];
  /** What was checked, for the output. */
  summary: string;
}

export function readMachineLimits(): MachineLimits {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  const fields = line?.split(/\s+/) ?? [];
  const limit = (text: string | undefined) => (text === "unlimited" ? Number.POSITIVE_INFINITY : Number(text ?? Number.NaN));
  const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
  return { openFiles: limit(fields[3]), openFilesHard: limit(fields[4]), ephemeralPorts: { low: low ?? 32768, high: high ?? 60999 } };
}

/**
 * How many upstream connections `streams` streams need (one each over HTTP/1.1, one per hundred over
 * h2c) and whether the machine allows them: the gateway holds a socket per client stream beside its
 * upstream ones under one `ulimit -n`; the client and the simulator each hold one socket per stream
 * (per h2c session for the simulator); every client socket to one address and port takes an
 * ephemeral port. Where the descriptors do not allow a connection per stream, the plan gives the
 * gateway what fits and says so: the streams past it wait for a connection.
 */
export function planStreams(streams: number, http2: boolean, limits: MachineLimits): StreamPlan {
  const perConnection = http2 ? H2_STREAMS_PER_CONNECTION : 1;
  const wanted = Math.ceil(streams / perConnection);
  const fits = Math.max(1, Math.floor(limits.openFiles - streams - SPARE_DESCRIPTORS));
  const upstreamConnections = Math.min(wanted, fits);
  const gatewayDescriptors = streams + wanted + SPARE_DESCRIPTORS;
  const ports = limits.ephemeralPorts.high - limits.ephemeralPorts.low + 1;
  const limitsBiting: string[] = [];
  if (upstreamConnections < wanted) {
    limitsBiting.push(`ulimit -n is ${limits.openFiles} (hard ${limits.openFilesHard}): the gateway needs ~${gatewayDescriptors} descriptors ` +
      `(${streams} client sockets + ${wanted} upstream + ${SPARE_DESCRIPTORS} spare), so its deployment gets ${upstreamConnections} connections ` +
      `and at most ${upstreamConnections * perConnection} streams are upstream at once; the rest wait for a connection (raise ulimit -n to ${gatewayDescriptors} to hold all ${streams})`);
  }
  if (streams + SPARE_DESCRIPTORS > limits.openFiles) {
    limitsBiting.push(`ulimit -n is ${limits.openFiles}: this process (the client) needs ~${streams + SPARE_DESCRIPTORS} descriptors for ${streams} streams`);
  }
  if (streams > ports || wanted > ports) {
    limitsBiting.push(`loopback ephemeral ports ${limits.ephemeralPorts.low}–${limits.ephemeralPorts.high} (${ports}) are fewer than the ${Math.max(streams, wanted)} sockets to one address and port`);
  }
  const summary = `ulimit -n ${limits.openFiles} (hard ${limits.openFilesHard}), gateway needs ~${gatewayDescriptors}; ephemeral ports ${ports} per destination, ` +
    `needed ${streams} (client → gateway) and ${upstreamConnections} (gateway → simulator); deployment connections ${upstreamConnections}${http2 ? ` (×${perConnection} streams)` : ""}`;
  return { upstreamConnections, upstreamStreams: upstreamConnections * perConnection, gatewayDescriptors, limitsBiting, summary };
}
