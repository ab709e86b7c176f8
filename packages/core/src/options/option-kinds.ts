import type { OptionSpec } from './option-spec.js';

/** Ten years: a lifetime above it was almost certainly written in milliseconds. */
export const MAX_LIFETIME_SECONDS = 315_360_000;

interface Common<T> {
  /** The default value; omit for a required option. */
  default?: T;
  /** How the README shows the default, when the value alone does not say it well. */
  defaultText?: string;
}

const shown = (value: unknown): string =>
  value === undefined
    ? 'none'
    : typeof value === 'string'
      ? `'${value}'`
      : typeof value === 'function'
        ? 'a function'
        : String(value);

function spec<T>(
  expected: string,
  common: Common<T>,
  check: (value: unknown, invalid: (detail?: string, field?: string) => never) => T,
  extra: { unit?: OptionSpec<T>['unit']; secret?: boolean } = {},
): OptionSpec<T, false> {
  const fallback = common.default as T;
  return {
    expected,
    defaultText: common.defaultText ?? shown(common.default),
    required: false,
    ...extra,
    parse: (value, invalid) => (value === undefined ? fallback : check(value, invalid)),
  };
}

/** The same option, required: it has no default and leaving it out is an error. */
export function required<T, I>(
  option: OptionSpec<T, false, I>,
): OptionSpec<Exclude<T, undefined>, true, Exclude<I, undefined>> {
  const { __type: _type, __input: _input, ...rest } = option;
  return {
    ...rest,
    defaultText: 'required',
    required: true,
    parse(value, invalid) {
      if (value === undefined) invalid(`given (it is required): ${option.expected}`);
      return option.parse(value, invalid) as Exclude<T, undefined>;
    },
  };
}

/**
 * A lifetime in whole seconds (as Django's settings). `nullable` also accepts `null` ("off"). A value
 * over ten years is refused with a hint about units: it was almost certainly milliseconds.
 */
export function seconds<D extends number | null>(
  common: Common<D> & {
    nullable?: boolean;
    min?: number;
    /** A lower ceiling than ten years, and why (the cookie's Max-Age: browsers keep at most 400 days). */
    max?: { seconds: number; why: string };
  },
): OptionSpec<D extends null ? number | null : number, false> {
  const nullable = common.nullable === true || common.default === null;
  const min = common.min ?? 1;
  const max = common.max;
  const expected = `${min === 0 ? 'a whole number of seconds (0 or more)' : 'a positive whole number of seconds'}${nullable ? ' or null' : ''}`;
  return spec<number | null>(
    expected,
    common,
    (value, invalid) => {
      if (value === null && nullable) return null;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min) return invalid();
      const units = `sess counts lifetimes in seconds, as Django does (did you give milliseconds? ${value} ms = ${Math.round(value / 1000)} s)`;
      if (value > MAX_LIFETIME_SECONDS) {
        invalid(
          `${expected}; ${value} seconds is over ${value / 31_536_000 > 100 ? 'a century' : 'ten years'} — ${units}`,
        );
      }
      if (max && value > max.seconds) {
        invalid(
          `${expected} of at most ${max.seconds} (${max.why}); ${value} seconds is ${Math.round(value / 86_400)} days — ${units}`,
        );
      }
      return value;
    },
    { unit: 'seconds' },
  ) as OptionSpec<D extends null ? number | null : number, false>;
}

/** An I/O timeout or delay in whole milliseconds (option names end in `Ms`). */
export function milliseconds(common: Common<number> & { min?: number }): OptionSpec<number, false> {
  const min = common.min ?? 1;
  // Node's timers take at most 2^31 - 1 ms; a longer delay fires at once.
  const max = 2_147_483_647;
  const expected = `${min === 0 ? 'a whole number of milliseconds (0 or more)' : 'a positive whole number of milliseconds'} up to ${max}`;
  return spec(
    expected,
    common,
    (value, invalid) =>
      typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
        ? value
        : invalid(),
    { unit: 'milliseconds' },
  );
}

/** A whole number within `[min, max]`. */
export function integer(
  common: Common<number> & { min: number; max?: number; unit?: 'bytes' },
): OptionSpec<number, false> {
  const max = common.max ?? Number.MAX_SAFE_INTEGER;
  const expected =
    common.max === undefined
      ? `a whole number of at least ${common.min}`
      : `a whole number from ${common.min} to ${max}`;
  return spec(
    expected,
    common,
    (value, invalid) =>
      typeof value === 'number' && Number.isInteger(value) && value >= common.min && value <= max
        ? value
        : invalid(),
    common.unit ? { unit: common.unit } : {},
  );
}

/** `true` or `false`. */
export function boolean(common: Common<boolean>): OptionSpec<boolean, false> {
  return spec('a boolean', common, (value, invalid) => (typeof value === 'boolean' ? value : invalid()));
}

/** A string; `pattern` (with its description in `expected`) restricts it. */
export function text(
  common: Common<string> & { expected?: string; pattern?: RegExp },
): OptionSpec<string, false> {
  const expected = common.expected ?? 'a non-empty string';
  return spec(expected, common, (value, invalid) =>
    typeof value === 'string' && value !== '' && (!common.pattern || common.pattern.test(value))
      ? value
      : invalid(),
  );
}

/**
 * One of `values`. With `anyCase`, a string matching one of them in any case is accepted and returned as
 * spelled in `values` (`'lax'` → `'Lax'`).
 */
export function oneOf<const V extends readonly (string | number | boolean)[]>(
  values: V,
  common: Common<V[number]> & { anyCase?: boolean },
): OptionSpec<V[number], false> {
  const expected = `one of ${values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}`;
  return spec(expected, common, (value, invalid) => {
    const found = values.find(
      (allowed) =>
        allowed === value ||
        (common.anyCase === true &&
          typeof allowed === 'string' &&
          typeof value === 'string' &&
          allowed.toLowerCase() === value.toLowerCase()),
    );
    return found === undefined ? invalid() : found;
  });
}

/**
 * Anything else: `check` returns the value to use or calls `invalid`. `expected` describes a valid value
 * for errors and docs. `secret` keeps the value out of error messages.
 */
export function custom<T, Input = T>(
  common: Common<T> & {
    expected: string;
    check: (value: unknown, invalid: (detail?: string, field?: string) => never) => T;
    secret?: boolean;
  },
): OptionSpec<T, false, Input> {
  return spec(
    common.expected,
    common,
    common.check,
    common.secret ? { secret: true } : {},
  ) as unknown as OptionSpec<T, false, Input>;
}

/** A function (a callback, a per-request choice). */
export function callback<F extends (...args: never[]) => unknown>(
  common: Common<F | undefined> & { expected: string },
): OptionSpec<F | undefined, false> {
  return spec(common.expected, { defaultText: 'none', ...common }, (value, invalid) =>
    typeof value === 'function' ? (value as F) : invalid(),
  );
}
