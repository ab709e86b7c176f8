import type { Options } from 'tsup';

/** Shared tsup options: every public package spreads these and names its own entries. */
export const base = {
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  outDir: 'dist',
  removeNodeProtocol: false,
} satisfies Options;
