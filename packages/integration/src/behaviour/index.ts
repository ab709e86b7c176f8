export { BEHAVIOURS } from './behaviours.js';
export {
  type Behaviour,
  type CapabilityReference,
  type MissingReference,
  type Reference,
  TABLE_ADAPTERS,
  TABLE_ENGINES,
  type TableAdapter,
  type TableEngine,
  type TestReference,
} from './model.js';
export { ENGINE_TITLES } from './references.js';
export { renderBehaviourTable } from './render.js';
