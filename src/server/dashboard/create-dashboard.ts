import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { findProjectRoot } from "../find-project-root.js";

/**
 * The files the dashboard page may load, by URL name. A fixed list (never a path taken from the URL)
 * so nothing else under the project can be read through /dashboard/.
 */
const FILES: Record<string, { file: string; type: string; immutable?: boolean }> = {
  "": { file: "src/server/dashboard/public/index.html", type: "text/html; charset=utf-8" },
  "dashboard.css": { file: "src/server/dashboard/public/dashboard.css", type: "text/css; charset=utf-8" },
  "dashboard.js": { file: "src/server/dashboard/public/dashboard.js", type: "text/javascript; charset=utf-8" },
  "charts.js": { file: "src/server/dashboard/public/charts.js", type: "text/javascript; charset=utf-8" },
  "dom.js": { file: "src/server/dashboard/public/dom.js", type: "text/javascript; charset=utf-8" },
  "routing-panel.js": { file: "src/server/dashboard/public/routing-panel.js", type: "text/javascript; charset=utf-8" },
  "gateway-client.js": { file: "src/server/dashboard/public/gateway-client.js", type: "text/javascript; charset=utf-8" },
  // The same offline copy of the graphql-ws browser build the playground serves.
  "graphql-ws.js": { file: "node_modules/graphql-ws/umd/graphql-ws.min.js", type: "text/javascript; charset=utf-8", immutable: true },
  // Chart.js (npm package chart.js, MIT), its self-contained browser build: offline, no CDN.
  "chart.umd.js": { file: "node_modules/chart.js/dist/chart.umd.min.js", type: "text/javascript; charset=utf-8", immutable: true },
};

export interface Dashboard {
  /** Answers `GET /dashboard` and its files; returns false for any other request. */
  handle(request: IncomingMessage, response: ServerResponse, path: string): boolean;
}

export interface DashboardOptions {
  /** The folder holding package.json (default: found from this module). */
  root?: string;
}

/** The analytics page: static files that query /graphql from the browser with the caller's own key. */
export function createDashboard(options: DashboardOptions = {}): Dashboard {
  const root = options.root ?? findProjectRoot();
  const cache = new Map<string, Buffer>();
  const read = (file: string): Buffer => {
    let body = cache.get(file);
    if (!body) {
      body = readFileSync(join(root, file));
      cache.set(file, body);
    }
    return body;
  };
  return {
    handle(request, response, path) {
      if (request.method !== "GET" && request.method !== "HEAD") return false;
      let name: string;
      if (path === "/dashboard") name = "";
      else if (path.startsWith("/dashboard/")) name = path.slice("/dashboard/".length);
      else return false;
      const spec = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
      if (!spec) return false;
      const body = read(spec.file);
      response.writeHead(200, {
        "content-type": spec.type,
        "content-length": body.length,
        "cache-control": spec.immutable ? "public, max-age=86400" : "no-cache",
      });
      response.end(request.method === "HEAD" ? undefined : body);
      return true;
    },
  };
}
