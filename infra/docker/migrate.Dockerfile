# syntax=docker/dockerfile:1.7
# The migrate step and the 429chain CLI. Build from the repository root:
#   docker build -f infra/docker/migrate.Dockerfile -t 429chain/migrate .
# Default command: apply the committed SQL migrations to DATABASE_URL, then exit. Any other
# CLI command runs the same way, e.g. `docker run --rm -e DATABASE_URL=… 429chain/migrate
# users create --email …`. bin/429chain.mjs is what `pnpm cli` runs, without needing pnpm
# (and the root devDependencies) in the image.
ARG NODE_IMAGE=node:20.20-alpine

FROM ${NODE_IMAGE} AS pruner
WORKDIR /repo
COPY . .
RUN npx --yes turbo@2.11.11 prune @429chain/cli --docker --out-dir /out

FROM ${NODE_IMAGE} AS installer
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0
RUN corepack enable
WORKDIR /app
COPY --from=pruner /out/json/ ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --prod --store-dir /pnpm/store \
      --filter-prod "@429chain/cli..."
# Includes packages/db/drizzle, the SQL migrations.
COPY --from=pruner /out/full/ ./
COPY tsconfig.base.json ./

FROM ${NODE_IMAGE} AS runner
ENV NODE_ENV=production
COPY --from=installer /app /app
WORKDIR /app/apps/cli
USER node
# A one-shot job, not a server: nothing to health-check; success is exit code 0.
ENTRYPOINT ["node", "bin/429chain.mjs"]
CMD ["migrate"]
