/**
 * The floor: what any Node gateway pays. A bare node:http server that reads the body, parses the
 * JSON, re-serialises it, sends it upstream on a keep-alive undici Pool, and answers with the
 * upstream's JSON parsed and re-serialised (a stream is piped through as it comes).
 *
 *   node dist/bench/floor-proxy.js --upstream http://127.0.0.1:PORT   → prints FLOOR_URL=…
 */
import { createServer } from "node:http";
import { Pool } from "undici";

const upstreamIndex = process.argv.indexOf("--upstream");
const upstream = upstreamIndex >= 0 ? process.argv[upstreamIndex + 1] : undefined;
if (!upstream) throw new Error("usage: floor-proxy --upstream <url>");
const pool = new Pool(upstream, { connections: 8192, pipelining: 1 });

const server = createServer((request, response) => {
  const parts: Buffer[] = [];
  request.on("data", (part: Buffer) => parts.push(part));
  request.on("end", () => {
    void (async () => {
      try {
        const body = JSON.parse(Buffer.concat(parts).toString("utf8")) as { stream?: boolean };
        const answer = await pool.request({
          path: request.url ?? "/",
          method: "POST",
          headers: { "content-type": "application/json", authorization: request.headers.authorization ?? "" },
          body: JSON.stringify(body),
        });
        if (body.stream === true) {
          response.writeHead(answer.statusCode, { "content-type": "text/event-stream" });
          for await (const chunk of answer.body) response.write(chunk);
          response.end();
          return;
        }
        const text = JSON.stringify(JSON.parse(await answer.body.text()));
        response.writeHead(answer.statusCode, { "content-type": "application/json" });
        response.end(text);
      } catch (error) {
        response.writeHead(502, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: error instanceof Error ? error.message : String(error) } }));
      }
    })();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  console.log(`FLOOR_URL=http://127.0.0.1:${address.port}`);
});
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void pool.close().finally(() => process.exit(0));
});
