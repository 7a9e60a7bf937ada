# mkondo's image (README "Deploy"): built in two stages. The first compiles the TypeScript ahead of
# time and installs the production dependencies (ops/release/build.sh, the same script CI runs
# and smoke-tests without Docker); the second holds only that output, runs as the unprivileged
# `node` user (uid 1000) and needs no writable root filesystem (DATA_DIR is only used by the
# embedded database, which a cluster does not use; point it at a mounted emptyDir otherwise).
# The role is the argument: `docker run IMAGE gateway|worker|notifier|migrate|dev`.
# The base is pinned by digest (node 20, Debian bookworm slim); bump it deliberately.
ARG NODE_IMAGE=node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json README.md ./
COPY actors ./actors
COPY gateway ./gateway
COPY runtime ./runtime
COPY schema ./schema
COPY ops ./ops
RUN bash ops/release/build.sh /app

FROM ${NODE_IMAGE}
ENV NODE_ENV=production DATA_DIR=/tmp/mkondo
WORKDIR /app
COPY --from=build --chown=root:root /app /app
USER node
EXPOSE 3000 3001 3002
ENTRYPOINT ["node", "/app/bin/mkondo.js"]
CMD ["--help"]
