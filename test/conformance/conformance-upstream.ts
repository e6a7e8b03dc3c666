/**
 * The upstreams of the conformance gateway, behind one HTTP server: `/p/{deployment}/…` is passed to
 * the simulator (which speaks every provider's wire format), except for the reasoning deployments,
 * which get a reasoning model's answer in their provider's format, whole or streamed (reasoning-answers.ts). Every
 * exchange is recorded, request and answer, so a check can look at exactly what crossed the wire.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createSimulator, type Simulator, type SimulatorProfile } from "../../src/simulator/index.js";
import type { Provider } from "./conformance-types.js";
import { asksForStream, reasoningAnswer, reasoningStream } from "./reasoning-answers.js";

export interface Exchange {
  /** The deployment the request was for (the path's profile). */
  deployment: string;
  path: string;
  /** The request body as JSON (undefined when it was not JSON). */
  body: Record<string, any> | undefined;
  status: number;
  /** The answer as text (latin1 for binary event streams). */
  answer: string;
}

export interface ConformanceUpstream {
  url: string;
  readonly exchanges: Exchange[];
  /** Exchanges for one deployment, oldest first. */
  exchangesOf(deployment: string): Exchange[];
  close(): Promise<void>;
}

export interface UpstreamDeployment {
  id: string;
  provider: Provider;
  model: string;
  /** Answered with a reasoning model's answer instead of by the simulator. */
  reasoning: boolean;
}

const PROFILE: SimulatorProfile = { outputTokens: 6, tokensPerSecond: 400 };

export async function startConformanceUpstream(deployments: readonly UpstreamDeployment[]): Promise<ConformanceUpstream> {
  const simulator: Simulator = createSimulator({ seed: 13 });
  for (const d of deployments) if (!d.reasoning) simulator.setProfile(d.id, PROFILE);
  const simulatorUrl = new URL(await simulator.listen(0, "127.0.0.1"));
  const byId = new Map(deployments.map((d) => [d.id, d]));
  const exchanges: Exchange[] = [];
  const sockets = new Set<Socket>();

  /** Recorded when the request arrives (a streamed answer may still be arriving when a client is done with it); the answer is filled in at its end. */
  const record = (deployment: string, path: string, raw: Buffer): Exchange => {
    let body: Record<string, any> | undefined;
    try {
      body = JSON.parse(raw.toString("utf8")) as Record<string, any>;
    } catch {
      body = undefined;
    }
    const exchange: Exchange = { deployment, path, body, status: 0, answer: "" };
    exchanges.push(exchange);
    return exchange;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const path = req.url ?? "";
      const id = decodeURIComponent(/^\/p\/([^/]+)/.exec(path)?.[1] ?? "");
      const deployment = byId.get(id);
      if (deployment?.reasoning) {
        const exchange = record(id, path, raw);
        exchange.status = 200;
        if (asksForStream(path, exchange.body)) {
          const { contentType, frames } = reasoningStream(deployment.provider, deployment.model);
          res.writeHead(200, { "content-type": contentType });
          for (const frame of frames) res.write(frame);
          exchange.answer = frames.map((frame) => frame.toString()).join("");
          res.end();
          return;
        }
        exchange.answer = JSON.stringify(reasoningAnswer(deployment.provider, deployment.model).body);
        res.writeHead(200, { "content-type": "application/json" }).end(exchange.answer);
        return;
      }
      const exchange = record(id, path, raw);
      const forward = httpRequest(
        { host: simulatorUrl.hostname, port: simulatorUrl.port, method: req.method, path, headers: { ...req.headers, host: simulatorUrl.host } },
        (upstream) => {
          const answer: Buffer[] = [];
          exchange.status = upstream.statusCode ?? 502;
          res.writeHead(exchange.status, upstream.headers);
          upstream.on("data", (chunk: Buffer) => {
            answer.push(chunk);
            res.write(chunk);
          });
          upstream.on("end", () => {
            exchange.answer = Buffer.concat(answer).toString("utf8");
            res.end();
          });
          upstream.on("error", () => res.destroy());
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(raw);
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    exchangesOf: (deployment) => exchanges.filter((e) => e.deployment === deployment),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await simulator.close();
    },
  };
}
