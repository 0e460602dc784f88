# syntax=docker/dockerfile:1
# The exchange server image. Debian bookworm, never Alpine: the uWebSockets.js binary needs glibc (2.36 here).
# Build: docker build -t exchange . ; run: see infra-terraform/README.md (host networking, journal volume).
ARG NODE_IMAGE=node:20-bookworm-slim

# Build stage: full install, compile TypeScript to dist/, then drop dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && node -e "require('uWebSockets.js')"

# Runtime stage: production dependencies and compiled code only, owned by root so the server cannot rewrite them;
# the journal directory is the one place it writes.
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    EXCHANGE_PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN install -d -o node -g node -m 0750 /var/lib/exchange
USER node
VOLUME ["/var/lib/exchange"]
EXPOSE 8080
# Slim images have no curl; Node 20's fetch asks the process-alive endpoint.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.EXCHANGE_PORT || '8080') + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the graceful drain and final snapshot; give `docker stop` a long --time (the host uses 120 s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/server/main.js", "--port", "8080", "--data-dir", "/var/lib/exchange"]
