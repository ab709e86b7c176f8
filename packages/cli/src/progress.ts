import type { CliOutput } from './io.js';

/** Reports a sweep as it goes. */
export interface Progress {
  /** The sweep starts; `total` is what it expects to remove, or null when unknown. */
  start(total: number | null): void;
  /** One batch removed `count` sessions. */
  advance(count: number): void;
  /** The sweep ended. */
  finish(): void;
}

/** How a sweep is shown. */
export interface ProgressOptions {
  /** Words before the bar, e.g. `clearing table sess_session`. */
  label: string;
  /** Off a terminal: one plain line per batch. */
  verbose: boolean;
  /** Nothing at all. */
  quiet: boolean;
}

const BAR_MAX = 40;
const BAR_MIN = 10;

/** A bar drawn over itself on a terminal (`out.isTTY`); plain lines per batch with `verbose`; else silence. */
export function createProgress(out: CliOutput, options: ProgressOptions): Progress {
  let total: number | null = null;
  let done = 0;
  let batches = 0;
  if (options.quiet) return { start() {}, advance() {}, finish() {} };

  if (out.isTTY !== true) {
    return {
      start(expected) {
        total = expected;
      },
      advance(count) {
        done += count;
        batches++;
        if (!options.verbose) return;
        const of = total === null ? '' : ` of ${total}`;
        out.write(`batch ${batches}: deleted ${count} (${done}${of} so far)\n`);
      },
      finish() {},
    };
  }

  const draw = (): void => {
    const text =
      total === null
        ? `${options.label}: ${done} deleted`
        : `${options.label} ${bar(done, total, out.columns ?? 80, options.label)} ${Math.min(done, total)}/${total}`;
    out.write(`\r\x1b[K${text}`);
  };
  return {
    start(expected) {
      total = expected;
      draw();
    },
    advance(count) {
      done += count;
      draw();
    },
    finish() {
      draw();
      out.write('\n');
    },
  };
}

/** `[#####.....] 50%`, as wide as the terminal leaves room for. */
function bar(done: number, total: number, columns: number, label: string): string {
  const ratio = total === 0 ? 1 : Math.min(done / total, 1);
  const room = columns - label.length - 2 * String(total).length - 12;
  const width = Math.max(BAR_MIN, Math.min(BAR_MAX, room));
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%`;
}
