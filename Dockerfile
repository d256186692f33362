# Signpost in a container: the server (website chat, /api/messages, the workspace) on port 3978.
#   docker build -t signpost .
#   docker run -p 3978:3978 --env-file signpost.env -v signpost-data:/app/data signpost   embedded store, one instance
#   docker run -p 3978:3978 --env-file signpost.env signpost      with MONGODB_URI and SIGNPOST_TOKEN_SECRET: several
# signpost.env holds the bot identity (MicrosoftAppId and its password), or SIGNPOST_WEBSITE_CHAT_ONLY=true for the
# website chat alone: a container listens on every address, and the server refuses to without either.
# See docs/deploy.md ("Hosting the container elsewhere"). test/deploy/dockerfile.test.ts checks this file.

# --- build: all dependencies, compile the TypeScript ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci's prepare step (node bin/build.js) finds no src/ yet and builds nothing: tsc runs below, once.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY dialogs ./dialogs
RUN npx tsc -p .
# The website chat's files compressed once (brotli, gzip) into dist/static, so the server sends them compressed at once.
RUN node dist/src/cli/buildAssets.js
# Production dependencies only, pruned here rather than installed again below: botbuilder-dialogs' install script
# runs `npx rimraf`, a dev dependency, so `npm ci --omit=dev` fails (or fetches it from the internet).
RUN npm prune --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime: production dependencies, the compiled code, the knowledge and the pages' assets ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# Every address, as a container must: the server then needs MicrosoftAppId or SIGNPOST_WEBSITE_CHAT_ONLY=true.
ENV HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY knowledge ./knowledge
COPY src/server/public ./src/server/public
COPY src/workspace/public ./src/workspace/public
# The embedded SQLite database and the Direct Line signing key live here (one instance only; use MongoDB for more).
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3978
# No curl in the slim image: Node 20's fetch asks /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Not npm start: its prestart step would compile when the sources looked newer, and the runtime image has no compiler.
CMD ["node", "dist/src/index.js"]
