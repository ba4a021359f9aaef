// The embedded database's template for the gateway build (see packages/core/src/db/pg-template.ts).
// Making it runs PGlite's initdb plus every migration (10–20 s), so it is cached under
// node_modules/.cache keyed by what decides its content: the migrations and the PGlite packages.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function filesUnder(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

function templateKey(outdir) {
  const hash = createHash('sha256');
  const migrations = join(outdir, 'drizzle');
  for (const file of filesUnder(migrations))
    hash.update(relative(migrations, file)).update(readFileSync(file));
  // The linked PGlite packages resolve to versioned folders in pnpm's store: their paths pin the versions.
  for (const name of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector']) {
    const dir = join(outdir, 'node_modules', name);
    if (existsSync(dir)) hash.update(realpathSync(dir));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Puts the migrated template at `<outdir>/pg-template`, building it with the bundle's own entry. */
export function writePgTemplate(outdir, repoRoot) {
  const cached = join(repoRoot, 'node_modules/.cache/rag-pg-template', templateKey(outdir));
  if (!existsSync(join(cached, 'PG_VERSION')))
    execFileSync(process.execPath, [join(outdir, 'build-pg-template.js'), cached], {
      stdio: 'inherit',
    });
  cpSync(cached, join(outdir, 'pg-template'), { recursive: true });
}
