import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findProjectRoot } from "./find-project-root.js";
import { PLAYGROUND_TABS } from "./playground-tabs.js";

/** Browser files of the playground, served from installed npm packages so it works offline. */
const ASSETS: Record<string, { file: string; type: string }> = {
  "react.js": { file: "node_modules/react/umd/react.production.min.js", type: "text/javascript" },
  "react-dom.js": { file: "node_modules/react-dom/umd/react-dom.production.min.js", type: "text/javascript" },
  "graphiql.js": { file: "node_modules/graphiql/graphiql.min.js", type: "text/javascript" },
  "graphiql.css": { file: "node_modules/graphiql/graphiql.min.css", type: "text/css" },
  "graphql-ws.js": { file: "node_modules/graphql-ws/umd/graphql-ws.min.js", type: "text/javascript" },
};

export interface PlaygroundAsset {
  body: Buffer;
  type: string;
}

export interface Playground {
  html: string;
  asset(name: string): PlaygroundAsset | undefined;
}

export function createPlayground(root: string = findProjectRoot()): Playground {
  const cache = new Map<string, PlaygroundAsset>();
  return {
    html: renderHtml(),
    asset(name) {
      // Own names only: the name comes from the URL, and "constructor" is not an asset.
      const spec = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
      if (!spec) return undefined;
      let asset = cache.get(name);
      if (!asset) {
        asset = { body: readFileSync(join(root, spec.file)), type: spec.type };
        cache.set(name, asset);
      }
      return asset;
    },
  };
}

function renderHtml(): string {
  const tabs = JSON.stringify(PLAYGROUND_TABS).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Switchyard playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/playground/graphiql.css">
<style>html,body,#playground{height:100%;margin:0}</style>
</head>
<body>
<div id="playground">Loading the playground…</div>
<script src="/playground/react.js"></script>
<script src="/playground/react-dom.js"></script>
<script src="/playground/graphiql.js"></script>
<script src="/playground/graphql-ws.js"></script>
<script>
  const url = new URL("/graphql", location.href).toString();
  const wsUrl = url.replace(/^http/, "ws");
  const headers = {};
  const token = localStorage.getItem("switchyard.key");
  if (token) headers.authorization = "Bearer " + token;
  const fetcher = GraphiQL.createFetcher({
    url,
    headers,
    wsClient: graphqlWs.createClient({ url: wsUrl, connectionParams: () => headers, lazy: true }),
  });
  const root = ReactDOM.createRoot(document.getElementById("playground"));
  root.render(React.createElement(GraphiQL, { fetcher, defaultTabs: ${tabs}, defaultEditorToolsVisibility: true }));
</script>
</body>
</html>`;
}
