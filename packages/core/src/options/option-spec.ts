/**
 * One option, declared once: how a value is checked, its default, and how the docs describe it. The
 * package's options type, its README table and its error messages all come from these declarations
 * (see `declareOptions`).
 */
export interface OptionSpec<T, Required extends boolean = boolean> {
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
  parse(value: unknown, invalid: (detail?: string) => never): T;
  /** Brand for the value type, never set at runtime. */
  readonly __type?: T | undefined;
}

/** The value type of a spec. */
export type ValueOf<S> = S extends OptionSpec<infer T> ? T : never;

/** A package's option declarations, by option name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec<unknown>>>;

type RequiredNames<S> = { [K in keyof S]: S[K] extends OptionSpec<unknown, true> ? K : never }[keyof S];

/**
 * The options object users pass, derived from the declarations: every option optional (`undefined` means
 * "not given") except the required ones. Each property keeps the JSDoc written on its declaration.
 */
export type OptionsInput<S> = {
  -readonly [K in keyof S as K extends RequiredNames<S> ? never : K]?: ValueOf<S[K]> | undefined;
} & {
  -readonly [K in keyof S as K extends RequiredNames<S> ? K : never]: ValueOf<S[K]>;
};

/** The options after validation: every value present (defaults filled in). */
export type ResolvedOptions<S> = { -readonly [K in keyof S]: ValueOf<S[K]> };
