import { readFileSync } from 'node:fs';

/** What one callgrind profile says about its window of the run. */
export interface Window {
  /** Instructions (Ir) of every thread in the window. */
  ir: number;
  /** Calls of `uv_os_getppid`: the child makes one per request. */
  requests: number;
  /** Written after a full (mark-compact) garbage collection, not at one of the child's markers. */
  afterMajorGc: boolean;
}

/** The number of a compressed name (`fn=(12) name` defines it, `cfn=(12)` refers to it), if defined. */
function nameId(text: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^c?fn=\\((\\d+)\\) ${escaped}$`, 'm').exec(text)?.[1];
}

/** Reads a callgrind profile: its `totals:`, its trigger, and the calls made to `counted`. */
export function readWindow(file: string, counted: string): Window {
  const text = readFileSync(file, 'utf8');
  const total = /^totals:\s*(\d+)/m.exec(text)?.[1];
  if (total === undefined) throw new Error(`inproc: no totals in ${file}`);
  let requests = 0;
  const id = nameId(text, counted);
  if (id !== undefined) {
    const lines = text.split('\n');
    const call = new RegExp(`^cfn=\\(${id}\\)`);
    for (let i = 0; i < lines.length - 1; i++) {
      if (call.test(lines[i] ?? '')) requests += Number(/^calls=(\d+)/.exec(lines[i + 1] ?? '')?.[1] ?? 0);
    }
  }
  return { ir: Number(total), requests, afterMajorGc: /^desc: Trigger: --dump-after=/m.test(text) };
}
