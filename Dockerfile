# syntax=docker/dockerfile:1
# The gateway (and the e-mail sync service, same image) as compiled JavaScript on a slim Node.
# Every command here is one the test suite runs: the install and `pnpm build` (tests/e2e/runtime/
# deploy-recipe.test.ts builds the same entries), the CMD, and the HEALTHCHECK against a started server.

FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV CI=true npm_config_nodedir=/usr/local
COPY . .
RUN npx --yes pnpm@12.21.0 install --frozen-lockfile \
 && npx --yes pnpm@12.21.0 build \
 && npx --yes pnpm@12.21.0 install --frozen-lockfile --prod

FROM node:22-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data HOST=0.0.0.0 PORT=8001 LOG_FORMAT=json
WORKDIR /app
# Only what runs: the dependency store the builds link to, the builds, and their package.json (ESM scope).
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/services/gateway/package.json ./services/gateway/package.json
COPY --from=build /app/services/gateway/node_modules ./services/gateway/node_modules
COPY --from=build /app/services/gateway/dist ./services/gateway/dist
COPY --from=build /app/services/email-sync/package.json ./services/email-sync/package.json
COPY --from=build /app/services/email-sync/node_modules ./services/email-sync/node_modules
COPY --from=build /app/services/email-sync/dist ./services/email-sync/dist
COPY --from=build /app/services/web/dist ./services/web/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8001
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8001)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "services/gateway/dist/main.js"]
