export {
  declareOptions,
  type OptionsDeclaration,
  type ResolveOptions,
  unknownOptions,
} from './declare-options.js';
export * as option from './option-kinds.js';
export type { OptionSpec, OptionSpecs, OptionsInput, ResolvedOptions, ValueOf } from './option-spec.js';
