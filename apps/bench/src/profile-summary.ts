import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  startTime: number;
  endTime: number;
}

/** Self time of one function or one area, as a share of the busy (non-idle) time. */
export interface ProfileEntry {
  name: string;
  share: number;
}

/** Where self time went, by function and by package. */
export interface ProfileSummary {
  busyMs: number;
  functions: ProfileEntry[];
  areas: ProfileEntry[];
}

/** The package (or runtime part) a script URL belongs to. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : 'native / V8 builtins';
  const sess = /\/packages\/([^/]+)\/(?:dist|src)\//.exec(url);
  if (sess) return `@sess/${sess[1]}`;
  const pnpm = /\/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pnpm) return pnpm[1] ?? url;
  const plain = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (plain) return plain[1] ?? url;
  if (url.startsWith('node:'))
    return `node:${url.slice(5).split('/')[0] === 'internal' ? 'internal' : url.slice(5)}`;
  if (url.includes('/apps/bench/')) return 'bench contender code';
  return url;
}

/** Reads a `.cpuprofile` and ranks self time. */
export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const intervalMs = (profile.endTime - profile.startTime) / 1000 / Math.max(profile.samples.length, 1);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    busy += hits;
    const short = url
      .replace(/^.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
      .replace(/^.*\/packages\//, '');
    const name = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
  }
  const rank = (map: Map<string, number>, limit: number): ProfileEntry[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, hits]) => ({ name, share: busy > 0 ? hits / busy : 0 }));
  return { busyMs: busy * intervalMs, functions: rank(byFunction, top), areas: rank(byArea, 15) };
}

/** Prints a summary as text. */
export function formatProfile(label: string, summary: ProfileSummary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `${label}: ${Math.round(summary.busyMs)} ms busy`,
    '  by package:',
    ...summary.areas.map((e) => `    ${pct(e.share)}  ${e.name}`),
    '  by function (self time):',
    ...summary.functions.map((e) => `    ${pct(e.share)}  ${e.name}`),
  ].join('\n');
}
