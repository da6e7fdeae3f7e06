# syntax=docker/dockerfile:1
#
# The HTTP service (composition/http-server.ts) for ECS Fargate: port 8000, a non-root user,
# a HEALTHCHECK on /health, and a drain on SIGTERM (the process handles it itself).
#
# Why an esbuild bundle: koa, @koa/router, pino, zod (and the MCP SDK behind /mcp) are optional
# peer dependencies of the package (a library user who only computes risk does not install a web
# server), so `npm ci --omit=dev` alone would leave them out. The build stage bundles the service
# into one ESM file, inlining every package that is NOT a production dependency; the production
# and optional dependencies (the AWS SDK, inversify, better-sqlite3 with its native addon ...)
# stay external and come from `npm ci --omit=dev`, so the image holds production dependencies
# plus one file of our code. better-sqlite3 is optional: the service keeps its state in DynamoDB
# (SRE_OPS_STATE_TABLE), and an image whose native build failed still runs. test/integration/http/dockerfile.spec.ts runs the bundle line and the CMD below.

ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are not needed to bundle (better-sqlite3 is built in the deps stage).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY domain ./domain
COPY ports ./ports
COPY adapters ./adapters
COPY composition ./composition
# --keep-names: error classes take their name from the class (new.target.name), which bundling would otherwise rename.
# The bundle sits in dist/composition/ like tsc's output, so the paths it resolves (../../examples/demo-fleet, ../../package.json) hold.
RUN npx esbuild composition/http-server.ts composition/assessment-worker.ts --bundle --platform=node --format=esm --target=node22 --keep-names --sourcemap --log-level=warning --outdir=dist/composition --out-extension:.js=.mjs --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" $(node -p "const p = require('./package.json'); Object.keys({ ...p.dependencies, ...p.optionalDependencies }).map((d) => '--external:' + d).join(' ')")

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    PORT=8000 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY examples/demo-fleet ./examples/demo-fleet
COPY --from=build /app/dist/composition/http-server.mjs /app/dist/composition/http-server.mjs.map /app/dist/composition/assessment-worker.mjs /app/dist/composition/assessment-worker.mjs.map ./dist/composition/
# Files stay root-owned and read-only to the process; the official image's "node" user (uid 1000) runs it.
USER node
EXPOSE 8000
# No curl in the slim image: node's own fetch checks /health (liveness only, no AWS call).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node as PID 1 is fine: the service installs its own SIGTERM handler (drain, then exit 0).
CMD ["node", "--enable-source-maps", "dist/composition/http-server.mjs"]
