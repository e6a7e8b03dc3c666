/** Knobs of `npm run bench`, from the environment; the defaults keep the run to a few minutes on 2 cores. */
export interface BenchSettings {
  /** Closed-loop connections. */
  connections: number;
  /** Seconds of each measured run (open and closed loop). */
  seconds: number;
  /**
   * BENCH_ROUNDS: how many times the open-loop, stream and closed-loop parts run (1). Each round measures
   * upstream and floor anew; the builds of a comparison alternate which goes first; the tables give medians.
   */
  rounds: number;
  /** Open-loop request rate (req/s) and stream rate (streams/s). */
  rate: number;
  streamRate: number;
  /** Slow streams held open at once through one gateway, a run for each count (BENCH_CONCURRENT_STREAMS, "5000,10000"; 0 skips that part). */
  concurrentStreams: number[];
  /** Seconds each of those streams takes from its release to its end (BENCH_STREAM_SECONDS). */
  streamSeconds: number;
  /** A second build of Switchyard (its checkout folder, built) measured back to back as "before". */
  compareRoot?: string;
  /** Also the chaos run, the call-log write benchmark and the routing-decision benchmark. */
  full: boolean;
  warmupSeconds: number;
  /** Each gateway's warm-up through every door before any door is measured (BENCH_GATEWAY_WARMUP_REQUESTS per door; 0: none). */
  gatewayWarmupRequests: number;
  /** Which HTTP door is measured first (BENCH_DOOR_ORDER: v1-first, the default, or graphql-first). */
  doorOrder: "v1-first" | "graphql-first";
  streamConcurrency: number;
  streams: number;
  streamWarmup: number;
  /** Concurrent subscriptions per graphql-ws connection. */
  streamsPerWsClient: number;
  callLogRecords: number;
  databaseUrl?: string;
  /** Folder for the gateway's .cpuprofile (`node --cpu-prof`); absent: no profiling. */
  cpuProfileDir?: string;
  /** server.workers of the measured gateway (BENCH_WORKERS; above 1 it needs Postgres and the Redis below). */
  workers: number;
  /** The Redis of a gateway with workers (BENCH_REDIS_URL, else REDIS_URL, else the local default). */
  redisUrl: string;
  /**
   * BENCH_PIN=1: the load generator and the simulator on CPU 0, each proxy measured (floor and
   * gateways alike) on CPU 1 (taskset); the figures are labelled pinned.
   */
  pin: boolean;
}

export function readBenchSettings(env: NodeJS.ProcessEnv, defaultProfileDir: string): BenchSettings {
  const int = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === "") return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`);
    return value;
  };
  const profile = env.BENCH_CPU_PROF;
  return {
    connections: int("BENCH_CONNECTIONS", 50),
    seconds: int("BENCH_SECONDS", 10),
    rounds: int("BENCH_ROUNDS", 1),
    rate: int("BENCH_RATE", 1000),
    streamRate: int("BENCH_STREAM_RATE", 500),
    concurrentStreams: parseStreamCounts(env.BENCH_CONCURRENT_STREAMS, [5000, 10000]),
    streamSeconds: int("BENCH_STREAM_SECONDS", 3),
    ...(env.BENCH_COMPARE ? { compareRoot: env.BENCH_COMPARE } : {}),
    full: env.BENCH_FULL === "1",
    warmupSeconds: int("BENCH_WARMUP_SECONDS", 2),
    gatewayWarmupRequests: env.BENCH_GATEWAY_WARMUP_REQUESTS === "0" ? 0 : int("BENCH_GATEWAY_WARMUP_REQUESTS", 6000),
    doorOrder: doorOrder(env.BENCH_DOOR_ORDER),
    streamConcurrency: int("BENCH_STREAM_CONCURRENCY", 50),
    streams: int("BENCH_STREAMS", 2000),
    streamWarmup: int("BENCH_STREAM_WARMUP", 200),
    streamsPerWsClient: int("BENCH_STREAMS_PER_WS", 10),
    callLogRecords: int("BENCH_CALL_LOG_RECORDS", 100_000),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(profile ? { cpuProfileDir: profile === "1" ? defaultProfileDir : profile } : {}),
    workers: int("BENCH_WORKERS", 1),
    redisUrl: env.BENCH_REDIS_URL || env.REDIS_URL || "redis://127.0.0.1:6379",
    pin: env.BENCH_PIN === "1",
  };
}

function doorOrder(text: string | undefined): BenchSettings["doorOrder"] {
  if (text === undefined || text === "" || text === "v1-first") return "v1-first";
  if (text === "graphql-first") return "graphql-first";
  throw new Error(`BENCH_DOOR_ORDER must be v1-first or graphql-first, got "${text}"`);
}

/** BENCH_CONCURRENT_STREAMS: one count or a comma-separated list ("5000,10000"); "0" or "" none. */
export function parseStreamCounts(text: string | undefined, fallback: readonly number[]): number[] {
  if (text === undefined || text.trim() === "") return [...fallback];
  if (text.trim() === "0") return [];
  return text.split(",").map((part) => {
    const value = Number(part.trim());
    if (!Number.isInteger(value) || value <= 0) throw new Error(`BENCH_CONCURRENT_STREAMS must be positive integers separated by commas (or 0), got "${text}"`);
    return value;
  });
}
