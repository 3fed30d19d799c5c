# syntax=docker/dockerfile:1
# One image for every Showrunner process: the worker (default command), the IVS Real-Time emulator, the codec server
# and the events endpoint differ only in their command (see docker-compose.yml). It holds the compiled build
# (`npm run build`: JavaScript and the prebuilt workflow bundle in dist/) and production dependencies only.
#
# Debian slim, not Alpine: @temporalio/core-bridge ships prebuilt native binaries for glibc only.
# Node.js 24: its AsyncLocalStorage runs on AsyncContextFrame, without which a worker's memory and CPU per cached
# workflow grow with the number cached (worker/async-context.ts). On 22, start with --experimental-async-context-frame.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
# Manifests first: the dependency layers are rebuilt only when they change.
COPY package.json package-lock.json ./
RUN npm ci

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM deps AS build
COPY . .
# tsc emits dist/ (tsconfig.build.json), then the prebuilt workflow bundle production workers load; it compiles in
# the failure converter that encrypts failure messages (see security/data-converter.ts).
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# No TypeScript, tsx or other devDependency at run time; the npm cache stays behind in the build stages.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Every process runs on jemalloc (Debian's libjemalloc2): glibc kept most of what a worker freed, and 1,000 cached
# shows took half again as much RSS on it (BENCHMARKS.md). The settings are dev/process/worker-allocator.ts's
# JEMALLOC_CONF, which the benches share: background threads return freed pages, also while a worker is idle. The
# link gives LD_PRELOAD one path on every architecture.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(ls /usr/lib/*-linux-gnu/libjemalloc.so.2)" /usr/local/lib/libjemalloc.so.2
ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2 \
    MALLOC_CONF=background_thread:true
ENV NODE_ENV=production \
    SHOWRUNNER_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    npm_config_update_notifier=false \
    npm_config_fund=false
# The official image's unprivileged user; the app files stay root-owned and read-only to it.
USER node
CMD ["node", "--max-semi-space-size=8", "dist/worker/main.js"]
