# syntax=docker/dockerfile:1.7
# The admin console (Next.js). Build from the repository root:
#   docker build -f infra/docker/admin.Dockerfile -t 429chain/admin .
# NEXT_OUTPUT=standalone makes apps/admin/next.config.ts build Next's standalone output:
# `next build` then copies only the files the server traces to (no devDependencies, no build
# toolchain) into .next/standalone, laid out like the repo.
ARG NODE_IMAGE=node:20.20-alpine

FROM ${NODE_IMAGE} AS pruner
WORKDIR /repo
COPY . .
RUN npx --yes turbo@2.11.11 prune @429chain/admin --docker --out-dir /out

FROM ${NODE_IMAGE} AS builder
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0
RUN corepack enable
WORKDIR /app
COPY --from=pruner /out/json/ ./
# The whole pruned workspace with devDependencies: `next build` needs Tailwind and PostCSS,
# and the root's TypeScript for tsconfig.json. None of it reaches the runner.
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir /pnpm/store
COPY --from=pruner /out/full/ ./
COPY tsconfig.base.json ./
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
RUN pnpm --filter @429chain/admin build && mkdir -p apps/admin/public

FROM ${NODE_IMAGE} AS runner
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3431
WORKDIR /app
COPY --from=builder /app/apps/admin/.next/standalone/ ./
COPY --from=builder /app/apps/admin/.next/static/ ./apps/admin/.next/static/
COPY --from=builder /app/apps/admin/public/ ./apps/admin/public/
# Next writes its cache here at run time; everything else stays root-owned and read-only.
RUN mkdir -p apps/admin/.next/cache && chown node:node apps/admin/.next/cache
USER node
EXPOSE 3431
# Any answer below 500 (the sign-in redirect included) means the server is up.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3431)+'/',{redirect:'manual'}).then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))"
# server.js is what `next start` runs, minus the CLI; it reads PORT and HOSTNAME.
CMD ["node", "apps/admin/server.js"]
