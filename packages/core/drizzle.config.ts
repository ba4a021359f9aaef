// Run as: DRIZZLE_DOMAIN=auth pnpm drizzle-kit generate (see src/db/domains.ts)
import { defineConfig } from 'drizzle-kit';

const domain = process.env.DRIZZLE_DOMAIN ?? 'core';

export default defineConfig({
  dialect: 'postgresql',
  schema: `./src/db/schema/${domain}.ts`,
  out: `./drizzle/${domain}`,
});
