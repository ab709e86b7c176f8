import type { BackendCapabilities } from '@sess/core/store';
import { ADAPTER_NAMES, type AdapterName } from '../frameworks/index.js';

/** The engines of the behaviour table, in column order. */
export type TableEngine = 'memory' | 'file' | 'cookie' | 'db' | 'django' | 'redis' | 'memcached';

/** The adapters of the behaviour table: the package's framework list's. */
export type TableAdapter = AdapterName;

/** Column headings of the engines. */
export const TABLE_ENGINES: readonly { id: TableEngine; heading: string }[] = [
  { id: 'memory', heading: 'memory' },
  { id: 'file', heading: 'file' },
  { id: 'cookie', heading: 'cookie' },
  { id: 'db', heading: 'db' },
  { id: 'django', heading: 'db (Django mode)' },
  { id: 'redis', heading: 'redis' },
  { id: 'memcached', heading: 'memcached' },
];

/** One column group per adapter of the package's framework list. */
export const TABLE_ADAPTERS: readonly TableAdapter[] = ADAPTER_NAMES;

/** A test that proves the behaviour: its file (relative to packages/integration), describe block and title. */
export interface TestReference {
  kind: 'test';
  file: string;
  describe: string;
  title: string;
}

/** A capability the engine declares instead, checked against the backend's real `capabilities`. */
export interface CapabilityReference {
  kind: 'capability';
  name: keyof BackendCapabilities;
  value: boolean;
  statement: string;
}

/** A behaviour the engine should have and does not: a reported defect, not a declared capability. */
export interface MissingReference {
  kind: 'missing';
  statement: string;
}

export type Reference = TestReference | CapabilityReference | MissingReference;

/** One row of the table. */
export interface Behaviour {
  title: string;
  /** What the row means, in one sentence. */
  meaning: string;
  /** The references of one cell; never empty. */
  cell(engine: TableEngine, adapter: TableAdapter): Reference[];
}
