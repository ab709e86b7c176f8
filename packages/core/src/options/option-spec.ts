/**
 * One option, declared once: how a value is checked, its default, and how the docs describe it. The
 * package's options type, its README table and its error messages all come from these declarations
 * (see `declareOptions`).
 */
export interface OptionSpec<T, Required extends boolean = boolean, Input = T> {
  /** What a valid value is, in words: completes "option `x` must be …" and fills the README's type column. */
  readonly expected: string;
  /** The unit of a number, when it has one. Lifetimes are seconds; I/O timeouts are milliseconds. */
  readonly unit?: 'seconds' | 'milliseconds' | 'bytes' | undefined;
  /** The default as the README shows it. */
  readonly defaultText: string;
  /** True when the option has no default and must be given. */
  readonly required: Required;
  /** True for secrets: errors describe the value's kind, never quote it. */
  readonly secret?: boolean | undefined;
  /**
   * The value to use: `value` checked (and normalized), or the default when `value` is undefined. Calls
   * `invalid` (which throws) when the value is not acceptable; `detail` replaces `expected` in that message.
   */
  parse(value: unknown, invalid: (detail?: string, field?: string) => never): T;
  /** Brand for the value type, never set at runtime. */
  readonly __type?: T | undefined;
  /** Brand for what users may write (wider than the value: `'lax'` for `'Lax'`), never set at runtime. */
  readonly __input?: Input | undefined;
}

/** The value type of a spec (after validation). */
export type ValueOf<S> = S extends OptionSpec<infer T, boolean, unknown> ? T : never;

/** What users may give for a spec. */
export type InputOf<S> = S extends OptionSpec<unknown, boolean, infer I> ? I : never;

/** A package's option declarations, by option name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec<unknown>>>;

type RequiredNames<S> = {
  [K in keyof S]: S[K] extends OptionSpec<unknown, true, unknown> ? K : never;
}[keyof S];

/**
 * The options object users pass, derived from the declarations: every option optional (`undefined` means
 * "not given") except the required ones. Each property keeps the JSDoc written on its declaration.
 */
export type OptionsInput<S> = {
  -readonly [K in keyof S as K extends RequiredNames<S> ? never : K]?: InputOf<S[K]> | undefined;
} & {
  -readonly [K in keyof S as K extends RequiredNames<S> ? K : never]: InputOf<S[K]>;
};

/** The options after validation: every value present (defaults filled in). */
export type ResolvedOptions<S> = { -readonly [K in keyof S]: ValueOf<S[K]> };
