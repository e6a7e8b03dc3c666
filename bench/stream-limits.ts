import { readFileSync } from "node:fs";

/** Streams per HTTP/2 connection the gateway's client opens (undici's default, Node's server allows more). */
export const H2_STREAMS_PER_CONNECTION = 100;
/** Descriptors a process needs beside its sockets (files, pipes, the database pool, epoll, …). */
const SPARE_DESCRIPTORS = 512;
/** CAP_SYS_RESOURCE: the capability that lets a process raise a hard limit (root without it may not). */
const CAP_SYS_RESOURCE = 24n;

/** What the machine lets one concurrent-streams run hold: descriptors per process and loopback ports. */
export interface MachineLimits {
  /** `ulimit -n` of this process (soft), inherited by the gateway and the simulator; and the hard one. */
  openFiles: number;
  openFilesHard: number;
  /** /proc/sys/fs/nr_open: the kernel's ceiling for any process's `ulimit -n`. */
  nrOpen: number;
  /** This process holds CAP_SYS_RESOURCE, so the processes it spawns may go past the hard limit (up to nrOpen). */
  mayRaiseHard: boolean;
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
  /** The `ulimit -n` the gateway and the simulator are started with (above openFiles: raised for them). */
  gatewayOpenFiles: number;
  simulatorOpenFiles: number;
  /** One line per limit that bites (empty: none). */
  limitsBiting: string[];
  /** What was checked, for the output. */
  summary: string;
}

/** The soft and hard `ulimit -n` of a process (this one by default), from /proc/<pid>/limits. */
export function readOpenFiles(pid: number | "self" = "self"): { soft: number; hard: number } {
  const line = readFileSync(`/proc/${pid}/limits`, "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  const fields = line?.split(/\s+/) ?? [];
  const limit = (text: string | undefined) => (text === "unlimited" ? Number.POSITIVE_INFINITY : Number(text ?? Number.NaN));
  return { soft: limit(fields[3]), hard: limit(fields[4]) };
}

export function readMachineLimits(): MachineLimits {
  const { soft, hard } = readOpenFiles();
  const capEff = /^CapEff:\s+([0-9a-f]+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  const mayRaiseHard = capEff !== undefined && ((BigInt(`0x${capEff}`) >> CAP_SYS_RESOURCE) & 1n) === 1n;
  const nrOpen = Number(readFileSync("/proc/sys/fs/nr_open", "utf8").trim());
  const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
  return { openFiles: soft, openFilesHard: hard, nrOpen, mayRaiseHard, ephemeralPorts: { low: low ?? 32768, high: high ?? 60999 } };
}

/**
 * The `ulimit -n` to start a process with that needs `needed` descriptors: this process's own when
 * that is enough; else raised towards `needed` as far as the hard limit allows, or past it up to the
 * kernel's nr_open where this process holds CAP_SYS_RESOURCE (being root is not enough without it).
 */
export function openFilesFor(needed: number, limits: MachineLimits): number {
  if (needed <= limits.openFiles) return limits.openFiles;
  const ceiling = limits.mayRaiseHard ? Math.max(limits.openFilesHard, limits.nrOpen) : limits.openFilesHard;
  return Math.max(limits.openFiles, Math.min(needed, ceiling));
}

/**
 * How many upstream connections `streams` streams need (one each over HTTP/1.1, one per hundred over
 * h2c) and whether the machine allows them: the gateway holds a socket per client stream beside its
 * upstream ones under one `ulimit -n`; the client and the simulator each hold one socket per stream
 * (per h2c session for the simulator); every client socket to one address and port takes an
 * ephemeral port. The gateway and the simulator get their `ulimit -n` raised where that may be done
 * (openFilesFor); where even that does not allow a connection per stream, the plan gives the gateway
 * what fits and says so: the streams past it wait for a connection. The client is this process: its
 * limit is the one it was started with.
 */
export function planStreams(streams: number, http2: boolean, limits: MachineLimits): StreamPlan {
  const perConnection = http2 ? H2_STREAMS_PER_CONNECTION : 1;
  const wanted = Math.ceil(streams / perConnection);
  const gatewayDescriptors = streams + wanted + SPARE_DESCRIPTORS;
  const gatewayOpenFiles = openFilesFor(gatewayDescriptors, limits);
  const simulatorOpenFiles = openFilesFor(wanted + SPARE_DESCRIPTORS, limits);
  const fits = Math.max(1, Math.floor(gatewayOpenFiles - streams - SPARE_DESCRIPTORS));
  const upstreamConnections = Math.min(wanted, fits);
  const ports = limits.ephemeralPorts.high - limits.ephemeralPorts.low + 1;
  const limitsBiting: string[] = [];
  if (upstreamConnections < wanted) {
    const ceiling = limits.mayRaiseHard ? `${Math.max(limits.openFilesHard, limits.nrOpen)} (the kernel's nr_open)` : `the hard limit ${limits.openFilesHard} (past it needs CAP_SYS_RESOURCE, which this process lacks)`;
    limitsBiting.push(`ulimit -n is ${limits.openFiles} (hard ${limits.openFilesHard}): the gateway needs ~${gatewayDescriptors} descriptors ` +
      `(${streams} client sockets + ${wanted} upstream + ${SPARE_DESCRIPTORS} spare) and may be given at most ${ceiling}, so its deployment gets ${upstreamConnections} connections ` +
      `and at most ${upstreamConnections * perConnection} streams are upstream at once; the rest wait for a connection (raise ulimit -n to ${gatewayDescriptors} to hold all ${streams})`);
  }
  if (streams + SPARE_DESCRIPTORS > limits.openFiles) {
    limitsBiting.push(`ulimit -n is ${limits.openFiles}: this process (the client) needs ~${streams + SPARE_DESCRIPTORS} descriptors for ${streams} streams (start the bench under a higher ulimit -n)`);
  }
  if (streams > ports || wanted > ports) {
    limitsBiting.push(`loopback ephemeral ports ${limits.ephemeralPorts.low}–${limits.ephemeralPorts.high} (${ports}) are fewer than the ${Math.max(streams, wanted)} sockets to one address and port`);
  }
  const summary = `ulimit -n ${limits.openFiles} (hard ${limits.openFilesHard}), gateway needs ~${gatewayDescriptors}` +
    `${gatewayOpenFiles > limits.openFiles ? ` and gets ${gatewayOpenFiles}` : ""}; ephemeral ports ${ports} per destination, ` +
    `needed ${streams} (client → gateway) and ${upstreamConnections} (gateway → simulator); deployment connections ${upstreamConnections}${http2 ? ` (×${perConnection} streams)` : ""}`;
  return { upstreamConnections, upstreamStreams: upstreamConnections * perConnection, gatewayDescriptors, gatewayOpenFiles, simulatorOpenFiles, limitsBiting, summary };
}
