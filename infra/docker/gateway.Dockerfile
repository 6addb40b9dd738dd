# syntax=docker/dockerfile:1.7
# The gateway. Build from the repository root:
#   docker build -f infra/docker/gateway.Dockerfile -t 429chain/gateway .
# The image runs the gateway's build (`pnpm build`: one esbuild bundle of the app and its
# workspace packages) with node itself; see infra/docker/README.md.
ARG NODE_IMAGE=node:20.20-alpine

FROM ${NODE_IMAGE} AS pruner
WORKDIR /repo
COPY . .
# Only the gateway's workspace packages, package.json files and a pruned lockfile.
RUN npx --yes turbo@2.11.11 prune @429chain/gateway --docker --out-dir /out

FROM ${NODE_IMAGE} AS builder
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0
RUN corepack enable
WORKDIR /app
COPY --from=pruner /out/json/ ./
# devDependencies included: the root's esbuild makes the bundle. None of it reaches the runner.
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir /pnpm/store
COPY --from=pruner /out/full/ ./
# The build script and the tsconfig every package extends; turbo prune leaves both out.
COPY tsconfig.base.json ./
COPY scripts/build-app.mjs ./scripts/
RUN pnpm --filter @429chain/gateway build

FROM ${NODE_IMAGE} AS installer
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0
RUN corepack enable
WORKDIR /app
# Manifests first: the dependency layer is rebuilt only when they or the lockfile change.
COPY --from=pruner /out/json/ ./
# --filter-prod follows dependencies only, so test helpers (devDependencies) stay out. The
# bundle imports every third-party package it uses from apps/gateway/node_modules.
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --prod --store-dir /pnpm/store \
      --filter-prod "@429chain/gateway..."
COPY --from=builder /app/apps/gateway/dist/ ./apps/gateway/dist/

FROM ${NODE_IMAGE} AS runner
# METRICS_PORT: /metrics and /ready get a listener of their own, so publishing or load
# balancing PORT exposes only the API (and /health).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3429 \
    METRICS_PORT=9464
# Files stay owned by root: the unprivileged user can read the code but not change it.
COPY --from=installer /app /app
WORKDIR /app/apps/gateway
USER node
EXPOSE 3429 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3429)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Node is PID 1 and handles SIGTERM itself: stop accepting, drain streams, flush logs.
CMD ["node", "dist/main.mjs"]
