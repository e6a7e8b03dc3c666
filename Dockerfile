# Switchyard in a container: a build stage compiles TypeScript, a slim runtime stage runs it as the
# unprivileged `node` user. `docker build -t switchyard .` then `docker compose up` (compose.yaml).

# ---- build: all dependencies, tsc, then only the runtime dependencies are kept
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: tsc needs none, and a script that builds on install would run before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build also writes dist/pglite-template.tar, the migrated embedded database a first start loads.
COPY drizzle ./drizzle
COPY scripts/build-pglite-template.ts scripts/bundle-server.mjs ./scripts/
RUN npm run -s build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime: node, the compiled code, runtime dependencies and the files read at run time
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time from the package root: migrations, the price catalog, the built-in prompt router,
# the dashboard's files (the playground's and the dashboard's libraries come from node_modules).
COPY drizzle ./drizzle
COPY src/accounting/price-catalog.json ./src/accounting/price-catalog.json
COPY src/routing/quality/builtin-router.json ./src/routing/quality/builtin-router.json
COPY src/server/dashboard/public ./src/server/dashboard/public
# The config it runs: simulated deployments on 0.0.0.0:4000; SWITCHYARD_MASTER_KEY is required. Mount your own over it.
COPY deploy/switchyard.yaml ./deploy/switchyard.yaml
# The one writable place: the call log's spill files (and embedded PGlite, when no DATABASE_URL is given).
RUN mkdir -p /app/.switchyard && chown node:node /app/.switchyard
VOLUME ["/app/.switchyard"]
USER node
EXPOSE 4000
# /readyz answers 200 once the database and the state store answer (503 otherwise). Node's fetch: the image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# V8's young generation at 32 MB a semi-space (its default is 16): half the scavenges under load (README "Memory").
CMD ["node", "--max-semi-space-size=32", "dist/src/main.js", "--config", "deploy/switchyard.yaml"]
