import {
  DJANGO_SESSION_SALT,
  declareOptions,
  djangoFormatOptionSpecs,
  type OptionsDeclaration,
  type OptionsInput,
  option,
} from '@sess/core/store';
import { FILE_WRITE_OPTION_SPECS, type FileWriteOptionSpecs, STORE_NAME } from './options.js';

// Declarations typed by name (not inferred) keep each option's JSDoc in the published .d.ts.
type DjangoSpecs = ReturnType<typeof djangoFormatOptionSpecs>;

/** Django's options shared with store-db and store-cookie, with the salt of Django's file `SessionStore`. */
const DJANGO_SPECS: DjangoSpecs = djangoFormatOptionSpecs(DJANGO_SESSION_SALT);

const COOKIE_AGE_SPEC = {
  /**
   * Django's `SESSION_COOKIE_AGE`, in seconds: a file without its own expiry expires this long after its
   * mtime. Must equal Django's setting (and the manager's `cookieAge`).
   */
  cookieAge: option.seconds({ default: 1_209_600, defaultText: '1209600 (two weeks)' }),
};

type DjangoFileFormatSpecs = DjangoSpecs & typeof COOKIE_AGE_SPEC;

/** The options of `djangoFileFormat`, declared once: how Django signs and dates its session files. */
export const DJANGO_FILE_FORMAT_OPTIONS: OptionsDeclaration<DjangoFileFormatSpecs> =
  declareOptions<DjangoFileFormatSpecs>(STORE_NAME, { ...DJANGO_SPECS, ...COOKIE_AGE_SPEC });

/**
 * `version` as users write it. The shared spec's value type is the parsed `[major, minor]` pair, which is
 * what the options resolve to, not what they take.
 */
type VersionAsText<T> = Omit<T, 'version'> & {
  /**
   * The Django version (`'MAJOR.MINOR'`, 3.1 or later) that shares the sessions. Below 4.1 Django cannot read
   * an ISO date in `_session_expiry`, so one is written as whole seconds from the save instead.
   */
  version?: string | undefined;
};

/** Options of `djangoFileFormat`: how Django signs and dates its session files. */
export type DjangoFileFormatOptions = VersionAsText<OptionsInput<typeof DJANGO_FILE_FORMAT_OPTIONS.specs>>;

// Django joins the cookie name and the key into a file name: only names that cannot form a path.
const COOKIE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

const DJANGO_PLACE_SPECS = {
  /**
   * Django's `SESSION_FILE_PATH`: the directory both apps share. Required (Django's default, the system
   * temp dir, is refused: every local user can list it, and the file names are the session keys). Must be
   * owned by the user running Node (the user Django runs as: Django creates its files `0600`) or root, and
   * not writable by every user. Created (mode `0700`) when absent.
   */
  directory: option.required(
    option.custom<string | undefined>({
      default: undefined,
      expected:
        "Django's SESSION_FILE_PATH, a directory both apps share (Django's default, the temp dir, is refused)",
      check: (value, invalid) =>
        typeof value === 'string' && value !== '' && !value.includes('\0') ? value : invalid(),
    }),
  ),
  /**
   * Django's `SESSION_COOKIE_NAME`, which Django's file backend puts before each key in a file name:
   * session `key` lives in `<directory>/<cookieName><key>`. Give the manager the same `cookieName`.
   */
  cookieName: option.text({
    default: 'sessionid',
    expected: "Django's SESSION_COOKIE_NAME: 1 to 100 letters, digits, `_`, `.` or `-`",
    pattern: COOKIE_NAME,
  }),
};

type DjangoFileStoreSpecs = typeof DJANGO_PLACE_SPECS & DjangoFileFormatSpecs & FileWriteOptionSpecs;

/** The options of `createDjangoFileStore`, declared once: the format's, plus where and how files are written. */
export const DJANGO_FILE_STORE_OPTIONS: OptionsDeclaration<DjangoFileStoreSpecs> =
  declareOptions<DjangoFileStoreSpecs>(STORE_NAME, {
    ...DJANGO_PLACE_SPECS,
    ...DJANGO_SPECS,
    ...COOKIE_AGE_SPEC,
    ...FILE_WRITE_OPTION_SPECS,
  });

/** Options of `createDjangoFileStore`: the format's, plus where the files are and how they are written. */
export type DjangoFileStoreOptions = VersionAsText<OptionsInput<typeof DJANGO_FILE_STORE_OPTIONS.specs>>;
