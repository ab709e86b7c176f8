import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The part of esbuild's API used here (esbuild comes with tsx; the bench does not depend on it directly). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ errors: unknown[] }>;
}

const BENCH = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Compiles `child.ts` and the bench modules it imports to plain ES modules, with esbuild (the compiler tsx
 * runs), into `node_modules/.cache/inproc/`: the children then run on `node` alone. Under `--import tsx`
 * the loader runs in a worker thread with its own V8 heap, whose timer-driven collections (a 50-million-
 * instruction `Mark-Compact (reduce)` was seen) land in whatever segment is being counted. npm packages stay
 * external (resolved from the bench's node_modules) and each framework stays in its own chunk, so a child
 * loads only its own.
 */
export async function bundleChild(): Promise<string> {
  const require = createRequire(import.meta.url);
  const esbuild = require(require.resolve('esbuild', { paths: [require.resolve('tsx')] })) as Esbuild;
  const outdir = `${BENCH}node_modules/.cache/inproc`;
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [`${BENCH}src/inproc/child.ts`],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  });
  return `${outdir}/child.mjs`;
}
