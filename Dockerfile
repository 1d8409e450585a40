# The app's image: `docker build --build-arg COMMIT_HASH=42 -t ecs-playground . && docker run -p 8080:8080 ecs-playground`
#
# Base images come from the ECR Public mirror of the Docker Official Images, so CodeBuild never meets
# Docker Hub's anonymous pull rate limit. Node's major is pinned; both stages use the same image.

# --- build: install everything from the lockfile, bundle the app into one file -------------------
FROM public.ecr.aws/docker/library/node:22-alpine AS build
WORKDIR /src
# The lockfile first: this layer (the slow one) is reused until dependencies change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY config ./config
COPY app ./app
COPY scripts/build-app.ts scripts/command.ts ./scripts/
COPY scripts/bundle ./scripts/bundle
COPY scripts/cli ./scripts/cli
RUN npm run build:app

# --- runtime: Node, the bundle, its loader and code cache; no node_modules, no TypeScript --------
FROM public.ecr.aws/docker/library/node:22-alpine
ENV NODE_ENV=production
WORKDIR /app
# esbuild inlined every production dependency (express, pino) into server.js; start.js runs it.
COPY --from=build /src/dist/app/server.js /src/dist/app/start.js ./
# V8 code cache for server.js (app/code-cache.ts): a new task compiles almost nothing before its
# first health check. Written here, by the runtime image's own Node with the flags CMD uses, since
# V8 rejects a cache from another Node build or other flags (the app then starts from source and
# logs codeCache "rejected"). Owned by root like the bundle: the app cannot change its own code.
RUN node start.js --write-code-cache
# The unhealthy-release demo switch: a commit that changes this line to `true` builds an image whose
# `GET /` answers 500 (the ALB health check fails) while `/version` keeps working. See docs/app.md.
ENV SIMULATE_UNHEALTHY=false
# Last, so a new commit only rebuilds this layer. Unset → the app reports version "unknown".
ARG COMMIT_HASH
ENV CODE_VERSION=${COMMIT_HASH}
# The image's default port (config container.port); the task definition sets PORT to the same value.
EXPOSE 8080
# The official image's unprivileged user: a compromised process cannot modify the image's files.
USER node
# Exec form: node is PID 1 and receives ECS's SIGTERM itself (a shell would swallow it); the app
# handles SIGTERM/SIGINT, drains and exits.
CMD ["node", "start.js"]
