# syntax=docker/dockerfile:1
# One image for every Showrunner process: the worker (default command), the IVS Real-Time emulator, the codec server
# and the events endpoint differ only in their command (see docker-compose.yml).
#
# Debian slim, not Alpine: @temporalio/core-bridge ships prebuilt native binaries for glibc only.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS build
COPY . .
# The prebuilt workflow bundle production workers load; it compiles in the failure converter that encrypts
# failure messages (see security/data-converter.ts).
RUN npm run build:workflows -- dist/workflow-bundle.js

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# tsx runs the TypeScript sources, and it is a devDependency, so node_modules is copied whole rather than pruned.
# The npm cache stays behind in the deps stage.
COPY --from=build /app /app
ENV NODE_ENV=production \
    SHOWRUNNER_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    npm_config_update_notifier=false \
    npm_config_fund=false
# The official image's unprivileged user; the app files stay root-owned and read-only to it.
USER node
CMD ["npm", "run", "worker"]
