import { SessionConfigError } from '../errors.js';
import type { OptionSpecs, ResolvedOptions } from './option-spec.js';

/** Options of {@link OptionsDeclaration.resolve}. */
export interface ResolveOptions {
  /**
   * Names another declaration resolves from the same object (an adapter's options include the
   * manager's): not reported as unknown, and not resolved here.
   */
  alsoKnown?: Iterable<string>;
  /** The package named in errors, when not the declaration's own (an adapter resolving the kit's options). */
  source?: string;
}

/** A package's options, declared once: validation, defaults, the options type and the README table. */
export interface OptionsDeclaration<S extends OptionSpecs> {
  /** The package named in error messages, e.g. `@sess/store-redis`. */
  readonly source: string;
  readonly specs: S;
  /** For names users bring from other libraries: what to use in sess instead. */
  readonly hints: Readonly<Record<string, string>>;
  /**
   * Validates `input` and fills in the defaults. Throws `SessionConfigError` naming the option: every
   * unknown name at once (with the sess equivalent of a name another library uses), or the first invalid value.
   */
  resolve(input: unknown, options?: ResolveOptions): ResolvedOptions<S>;
}

/**
 * Declares a package's options. Give each spec a JSDoc comment (the README's description comes from it)
 * and derive the package's options type with `OptionsInput<typeof X.specs>`.
 */
export function declareOptions<S extends OptionSpecs>(
  declaredSource: string,
  specs: S,
  hints: Readonly<Record<string, string>> = {},
): OptionsDeclaration<S> {
  const names = Object.keys(specs);
  return {
    source: declaredSource,
    specs,
    hints,
    resolve(input, options = {}) {
      const source = options.source ?? declaredSource;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new SessionConfigError(source, 'options', 'an object', input);
      }
      const given = input as Record<string, unknown>;
      const known = new Set([...names, ...(options.alsoKnown ?? [])]);
      const unknown = Object.keys(given).filter((name) => !known.has(name));
      if (unknown.length > 0) throw unknownOptions(source, unknown, hints, known);
      const resolved: Record<string, unknown> = {};
      for (const name of names) {
        const spec = specs[name];
        if (!spec) continue;
        const value = given[name];
        resolved[name] = spec.parse(value, (detail, field) => {
          const expected = detail ?? spec.expected;
          const option = field === undefined ? name : `${name}.${field}`;
          const part = field === undefined ? value : (value as Record<string, unknown>)[field];
          // A secret is never quoted: only its kind is named.
          if (spec.secret) throw new SessionConfigError(source, option, `${expected} (got ${kindOf(value)})`);
          throw new SessionConfigError(source, option, expected, part);
        });
      }
      return resolved as ResolvedOptions<S>;
    },
  };
}

/** One error naming every unknown option, each with the sess way when the name comes from elsewhere. */
export function unknownOptions(
  source: string,
  unknown: readonly string[],
  hints: Readonly<Record<string, string>>,
  known: Iterable<string>,
): SessionConfigError {
  const lines = unknown.map((name) => {
    const hint = Object.hasOwn(hints, name) ? hints[name] : undefined;
    return hint ? `\`${name}\`: ${hint}` : `\`${name}\` is not an option`;
  });
  const first = unknown[0] ?? 'options';
  const error = new SessionConfigError(source, first, 'a known option');
  error.message =
    `[${source}] unknown option${unknown.length > 1 ? 's' : ''}:\n  ${lines.join('\n  ')}\n` +
    `Known options: ${[...known].sort().join(', ')}`;
  return error;
}

/** What a secret value is, without quoting it. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
