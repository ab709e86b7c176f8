export type { CommandName } from './args.js';
export { type ClusterNode, defineConfig, ENGINES, type EngineName, type SessConfig } from './config.js';
export { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './errors.js';
export type { CliIo, CliOutput } from './io.js';
export { run } from './run.js';
