# syntax=docker/dockerfile:1.7
# The migrate step and the 429chain CLI. Build from the repository root:
#   docker build -f infra/docker/migrate.Dockerfile -t 429chain/migrate .
# Default command: apply the committed SQL migrations to DATABASE_URL, then exit. Any other
# CLI command runs the same way, e.g. `docker run --rm -e DATABASE_URL=… 429chain/migrate
# users create --email …`. The image runs the CLI's build (`pnpm build`) with node itself.
ARG NODE_IMAGE=node:20.20-alpine

FROM ${NODE_IMAGE} AS pruner
WORKDIR /repo
COPY . .
RUN npx --yes turbo@2.11.11 prune @429chain/cli --docker --out-dir /out

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
RUN pnpm --filter @429chain/cli build

FROM ${NODE_IMAGE} AS installer
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0
RUN corepack enable
WORKDIR /app
COPY --from=pruner /out/json/ ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --prod --store-dir /pnpm/store \
      --filter-prod "@429chain/cli..."
COPY --from=builder /app/apps/cli/dist/ ./apps/cli/dist/
# The SQL migrations: the bundle finds them at ../../../packages/db/drizzle, as the source does.
COPY --from=pruner /out/full/packages/db/drizzle/ ./packages/db/drizzle/

FROM ${NODE_IMAGE} AS runner
ENV NODE_ENV=production
COPY --from=installer /app /app
WORKDIR /app/apps/cli
USER node
# A one-shot job, not a server: nothing to health-check; success is exit code 0.
ENTRYPOINT ["node", "dist/main.mjs"]
CMD ["migrate"]
