// Builds one service into dist/: each entry becomes one ESM file (with a source map) that inlines
// the workspace packages (@rag/*) and imports everything else from node_modules at run time.
//
// pnpm keeps each package's dependencies next to that package, so a bundle that inlines @rag/core
// cannot resolve core's dependencies from the service's folder. The build therefore links every
// external package into dist/node_modules (relative symlinks to the copy the importing source
// resolves today), which is where Node looks first from dist/*.js.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

import { build } from 'esbuild';

const BUILTINS = new Set(builtinModules);

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The directory Node would load `name` from when imported by a file in `fromDir`. */
function findPackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return null;
  }
}

function linkExternals(linked, inline) {
  return {
    name: 'link-externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:') || BUILTINS.has(args.path)) return { external: true };
        const name = packageName(args.path);
        if (name.startsWith('@rag/') || inline.has(name)) return undefined; // bundled
        const dir = findPackageDir(name, args.resolveDir);
        if (!dir)
          return { errors: [{ text: `cannot find package ${name} from ${args.resolveDir}` }] };
        const seen = linked.get(name);
        if (seen && seen !== dir)
          return {
            errors: [{ text: `${name} resolves to two copies (${seen}, ${dir}); align versions` }],
          };
        linked.set(name, dir);
        return { external: true };
      });
    },
  };
}

/**
 * @param {string} serviceDir the service's package folder
 * @param {{ entries: Record<string, string>, copy?: Record<string, string>, link?: Record<string, string>, inline?: string[], outdir?: string }} config
 *   entries: output name → source file (relative to serviceDir); one line per worker or CLI entry.
 *   copy: folder in dist → source folder (assets resolved at run time, e.g. migrations).
 *   link: package → folder it is resolved from, for packages required at run time by name only.
 *   inline: packages bundled into the output rather than linked (pure-JS packages of many small
 *   modules: one file loads much faster than hundreds through Node's ESM loader).
 *   outdir: where to build (default dist/; `--outdir=DIR` on a service's build.mjs), e.g. for a test
 *   that must not replace the dist/ another process runs from.
 */
export async function buildService(serviceDir, config) {
  const outdir = resolve(config.outdir ?? outdirArgument() ?? join(serviceDir, 'dist'));
  rmSync(outdir, { recursive: true, force: true });
  const linked = new Map();
  const result = await build({
    absWorkingDir: serviceDir,
    entryPoints: Object.fromEntries(
      Object.entries(config.entries).map(([out, src]) => [out, resolve(serviceDir, src)]),
    ),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    chunkNames: 'chunks/[name]-[hash]',
    // Inlined CommonJS helpers may call require(); give ESM output one.
    banner: {
      js: "import { createRequire as __ragCreateRequire } from 'node:module'; const require = __ragCreateRequire(import.meta.url);",
    },
    plugins: [linkExternals(linked, new Set(config.inline ?? []))],
  });
  // Packages loaded through createRequire (JSON-only packages) are invisible to the bundler.
  for (const [name, fromDir] of Object.entries(config.link ?? {})) {
    const dir = findPackageDir(name, resolve(serviceDir, fromDir));
    if (!dir) throw new Error(`cannot find package ${name} from ${fromDir}`);
    linked.set(name, dir);
  }
  const modules = join(outdir, 'node_modules');
  for (const [name, dir] of linked) {
    const link = join(modules, name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), dir), link, 'dir');
  }
  for (const [to, from] of Object.entries(config.copy ?? {}))
    cpSync(resolve(serviceDir, from), join(outdir, to), { recursive: true });
  // What the start script compares against to tell whether the build is stale.
  const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(serviceDir, p));
  for (const from of Object.values(config.copy ?? {})) inputs.push(resolve(serviceDir, from));
  writeFileSync(
    join(outdir, 'build-info.json'),
    JSON.stringify({ builtAt: Date.now(), inputs, externals: [...linked.keys()].sort() }, null, 1),
  );
  return { inputs: inputs.length, externals: linked.size, outdir };
}

function outdirArgument() {
  return process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length);
}

/** True when dist is missing or any input (or the lockfile) changed since it was built. */
export function isBuildStale(serviceDir, lockfile) {
  const infoPath = join(serviceDir, 'dist', 'build-info.json');
  if (!existsSync(infoPath)) return true;
  let info;
  try {
    info = JSON.parse(readFileSync(infoPath, 'utf8'));
  } catch {
    return true;
  }
  for (const input of [...info.inputs, lockfile].filter(Boolean)) {
    const m = newestMtime(input);
    if (m === null || m > info.builtAt) return true;
  }
  return false;
}

function newestMtime(path) {
  try {
    return statNewest(path);
  } catch {
    return null;
  }
}

function statNewest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, statNewest(join(path, entry)));
  return newest;
}
