// Bundles the CLI that tsc built (dist/cli/main.js and everything it imports, pcsync's modules and its
// dependencies) into a few files in dist/pcsync/, then makes dist/cli/main.js a one-line entry that loads the bundle.
//
// Why: Node 20 has no module compile cache, and a pcsync command loaded ~1,000 module files (yaml, ajv,
// cockatiel, axios, pcsync's own ~300) before doing anything: ~0.45 s of CPU per start. A CI job runs pcsync a few
// times; the test suite starts it some 2,000 times, and the wall time of a small fleet run counts it too. The bundle
// starts in ~0.25 s. Rolldown is the bundler vitest's own vite already uses; the dynamic imports (msal-node for a
// sign-in, selfsigned for the simulator's certificate, the program after the heap flag) stay separate chunks, loaded
// only when needed.
//
// Placement: dist/pcsync/ is two levels below the package root, like every module tsc emits, so `packageRoot`
// (src/core/version.ts: package.json, schemas/) resolves the same from the bundle. The unbundled modules stay in
// dist/ for the benchmark, the demo and anything importing them; `node dist/cli/main.js` behaves the same either way.
//
// Usage: node scripts/bundle.mjs [distDir]   (default dist; scripts/prepare.mjs passes dist.next)
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Bundles `<dist>/cli/main.js` into `<dist>/pcsync/` and points `<dist>/cli/main.js` at it. */
export async function bundle(dist = 'dist') {
  const entry = resolve(dist, 'cli', 'main.js');
  const out = resolve(dist, 'pcsync');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run tsc first (npm run build)`);
  if (readFileSync(entry, 'utf8').includes('../pcsync/main.js')) throw new Error(`${entry} is already the bundle's entry: run tsc first (npm run build)`);
  const { rolldown } = await import('rolldown');
  rmSync(out, { recursive: true, force: true });
  const build = await rolldown({ input: entry, platform: 'node', logLevel: 'warn' });
  // Chunk names without a hash, and source maps beside them: a pcsync bug's stack trace names the same file and line
  // in every build of the same source, and NODE_OPTIONS=--enable-source-maps maps it back to the module it came
  // from (dist/…/*.js, node_modules/…). Not enabled by default: reading the maps cost ~80 ms at every start.
  await build.write({ dir: out, format: 'esm', entryFileNames: 'main.js', chunkFileNames: '[name].js', sourcemap: true });
  await build.close();
  writeFileSync(
    entry,
    [
      '#!/usr/bin/env node',
      '// The CLI bundle (scripts/bundle.mjs): one file to load instead of ~1,000.',
      '// NODE_OPTIONS=--enable-source-maps maps stack traces back to the modules the bundle was made of.',
      "import '../pcsync/main.js';",
      '',
    ].join('\n'),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await bundle(process.argv[2] ?? 'dist').catch((err) => {
    console.error(`bundle: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
