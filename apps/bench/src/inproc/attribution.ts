import { readFileSync } from 'node:fs';

/** Instructions (Ir) spent in each function itself (not in what it calls), by function name. */
export type SelfCost = Map<string, number>;

/** One line of node's `--perf-basic-prof` map (`/tmp/perf-<pid>.map`): a code object and its name. */
interface CodeRange {
  start: number;
  end: number;
  name: string;
  /** Its line in the map: a later object at the same addresses replaced an earlier, freed one. */
  order: number;
}

/** A perf map, sorted by start address, for {@link resolveName}. */
export interface PerfMap {
  ranges: CodeRange[];
  /** The largest code object: how far back a range that holds an address can start. */
  largest: number;
}

/** Reads a perf map's text (`<hex start> <hex size> <name>` a line). */
export function parsePerfMap(text: string): PerfMap {
  const ranges: CodeRange[] = [];
  for (const [order, line] of text.split('\n').entries()) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/i.exec(line);
    if (!match) continue;
    const start = Number.parseInt(match[1] as string, 16);
    const size = Number.parseInt(match[2] as string, 16);
    ranges.push({ start, end: start + size, name: match[3] as string, order });
  }
  ranges.sort((a, b) => a.start - b.start || a.order - b.order);
  return { ranges, largest: Math.max(0, ...ranges.map((range) => range.end - range.start)) };
}

/**
 * The name of a function as callgrind names it, with JIT code (`0x000000000d06cb00`: no symbol) looked up
 * in the perf map: the code object whose range holds the address, the latest one if several do. Addresses
 * the map does not hold stay as they are.
 */
export function resolveName(map: PerfMap, name: string): string {
  if (!/^0x[0-9a-f]+$/i.test(name)) return name;
  const address = Number.parseInt(name.slice(2), 16);
  const { ranges } = map;
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((ranges[middle] as CodeRange).start <= address) low = middle + 1;
    else high = middle;
  }
  let found: CodeRange | undefined;
  for (let i = low - 1; i >= 0; i--) {
    const range = ranges[i] as CodeRange;
    if (range.start < address - map.largest) break;
    if (address < range.end && (!found || range.order > found.order)) found = range;
  }
  return found ? found.name : name;
}

/**
 * Self cost per function in the text of one callgrind profile (callgrind's own format, with compressed
 * names). A `calls=` line is followed by the inclusive cost of that call, which is the callee's, not the
 * caller's: it is skipped. Cost lines are `<position…> <Ir>`, with as many positions as the `positions:`
 * header names.
 */
export function parseSelfCost(text: string): SelfCost {
  const cost: SelfCost = new Map();
  const names = new Map<string, string>();
  let positions = 1;
  let current = '';
  let skipNext = false;
  for (const line of text.split('\n')) {
    if (skipNext) {
      skipNext = false;
      continue;
    }
    const first = line.charCodeAt(0);
    const isCost = (first >= 48 && first <= 57) || line[0] === '+' || line[0] === '-' || line[0] === '*';
    if (isCost) {
      const ir = Number(line.trim().split(/\s+/)[positions] ?? 0);
      cost.set(current, (cost.get(current) ?? 0) + ir);
    } else if (line.startsWith('calls=')) skipNext = true;
    else if (line.startsWith('positions:')) positions = line.slice(10).trim().split(/\s+/).length;
    else if (/^c?fn=/.test(line)) {
      const match = /^c?fn=(?:\((\d+)\))?\s*(.*)$/.exec(line) as RegExpExecArray;
      const [, id, given = ''] = match;
      const name = id === undefined ? given : given !== '' ? given : (names.get(id) ?? `(${id})`);
      if (id !== undefined && given !== '') names.set(id, given);
      // `'2`: callgrind's mark for a recursive call's own copy of a function (`--separate-recs=2`).
      if (line.startsWith('fn=')) current = name.replace(/'\d+$/, '');
    }
  }
  return cost;
}

/** The `totals:` of a callgrind profile: what its self costs must add up to. */
export function totalOf(text: string): number {
  return Number(/^totals:\s*(\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

/**
 * Self cost per function over `profiles` (a child's counted windows), JIT addresses resolved through the
 * child's perf map. Throws when a profile's functions do not add up to its `totals:`.
 */
export function selfCostOf(profiles: string[], perfMapFile: string): SelfCost {
  const map = parsePerfMap(readFileSync(perfMapFile, 'utf8'));
  const sum: SelfCost = new Map();
  for (const file of profiles) {
    const text = readFileSync(file, 'utf8');
    let total = 0;
    for (const [raw, ir] of parseSelfCost(text)) {
      const name = resolveName(map, raw);
      sum.set(name, (sum.get(name) ?? 0) + ir);
      total += ir;
    }
    if (total !== totalOf(text))
      throw new Error(`inproc: the functions of ${file} add up to ${total}, not ${totalOf(text)}`);
  }
  return sum;
}

/** Where a JS source is: its package (`@sess/core`, `express`, `node internals`, `bench`) and its path within. */
function locate(source: string): { pkg: string; path: string } {
  const file = source.replace(/^file:\/\//, '');
  if (file.startsWith('node:')) return { pkg: 'node internals', path: file };
  const bench = /\/(?:apps\/bench\/node_modules\/\.cache\/inproc|apps\/bench\/src)\/(.*)$/.exec(file);
  if (bench) return { pkg: 'bench', path: `bench/${bench[1]}` };
  const modules = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file);
  if (modules) return { pkg: modules[1] as string, path: `${modules[1]}/${modules[2]}` };
  const sess = /\/packages\/([^/]+)\/(.*)$/.exec(file);
  if (sess) return { pkg: `@sess/${sess[1]}`, path: `@sess/${sess[1]}/${sess[2]}` };
  return { pkg: 'other', path: file };
}

/** A perf map's JS name (`JS:*fn /abs/path.js:1:2`; also `Eval:`, `Script:`): its function and source. */
const JS_NAME = /^(?:JS|Eval|Script):([*^~+-]?)(.*?)\s*(\S+:\d+:\d+)?$/;

/** A name for tables: JS sources package-relative, long C++ signatures cut. */
export function shortName(name: string): string {
  const js = JS_NAME.exec(name);
  if (js) {
    const [, tier = '', fn = '', source = ''] = js;
    return `${tier}${fn || '(anonymous)'} ${locate(source).path}`.trim();
  }
  return name.length > 120 ? `${name.slice(0, 119)}…` : name;
}

/**
 * The groups, tried in order (the first that matches wins); JS code resolved through the perf map goes by
 * package before these (`JS @sess/core`, `JS express`, `JS node internals`, `JS bench`), and whatever matches none
 * is "other V8/runtime".
 */
export const GROUPS: readonly [group: string, pattern: RegExp][] = [
  ['regular expressions', /^RegExp:/],
  [
    'JIT compiler and deoptimization',
    /v8::internal::(?:compiler|maglev|baseline)::|Deoptimiz|Compiler::|CompilationJob|Runtime_CompileOptimized/,
  ],
  ['regular expressions', /RegExp|Irregexp/],
  [
    'garbage collection',
    /Scaveng|Marking|Sweep|Heap::|Evacuat|Pretenur|BodyDescriptor|SizeFromMap|MarkCompact|Ephemeron|RecordWrite|WriteBarrier|Remembered|SlotSet|MemoryChunk|PagedSpace|NewSpace|GlobalHandles/,
  ],
  ['JSON', /Json|JSON/],
  ['promises and microtasks', /Promise|Microtask|Await|AsyncFunction|AsyncGenerator/],
  [
    'OpenSSL',
    /^(?:ossl|OSSL_|EVP_|evp_|ERR_|CRYPTO_|OPENSSL|RAND_|HMAC|SHA\d|sha\d|aes|gcm|ghash|drbg|ctr_|BN_|bn_|OBJ_|sk_|node::crypto::)|^(?:__)?strcmp/,
  ],
  [
    'malloc/free (libc)',
    /^(?:malloc|free|calloc|realloc|cfree|_int_malloc|_int_free|_int_realloc|malloc_consolidate|unlink_chunk|__libc_(?:malloc|free|calloc)|operator new|operator delete)\b/,
  ],
  [
    'property look-ups and hidden classes',
    /IC_|LoadIC|StoreIC|KeyedHasIC|\bIC::|DefineNamedOwn|DefineKeyedOwn|LookupIterator|GetProperty|SetProperty|DescriptorArray|MapUpdater|\bMap::|TransitionsAccessor|TransitionArray|NameDictionary|StringTable|HasOwnProperty|MigrateToMap|MigrateDeprecated|FindOrderedHash|KeyAccumulator|ForIn|CloneObject|SetPrototype|Prototype(?:Info|Iterator|Users|ChecksImpl|sFast|User)|Feedback(?:Nexus|Vector)|StubCache|(?:Load|Store)Handler|FieldIndex|FastPropertyAt|UpdateDescriptorForValue/,
  ],
  ['JIT code not in the perf map', /^0x[0-9a-f]+$/i],
];

/** The group of a function (resolved name). */
export function classify(name: string): string {
  if (!name.startsWith('RegExp:')) {
    const js = JS_NAME.exec(name);
    if (js) return `JS ${locate(js[3] ?? '').pkg}`;
  }
  return GROUPS.find(([, pattern]) => pattern.test(name))?.[0] ?? 'other V8/runtime';
}
