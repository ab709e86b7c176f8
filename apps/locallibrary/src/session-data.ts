/** What the site keeps in a session. Keys are snake_case, as in the Django tutorial the site follows. */
export type LibraryData = {
  /** How many times this browser has seen the home page. */
  num_visits?: number;
  /** The catalogue's page size, one of {@link PAGE_SIZES}. */
  results_per_page?: number;
  /** The logged-in user's name. */
  user?: string;
  /** The synchronizer token every form carries (see `csrf.ts`). */
  csrf_token?: string;
  /** A one-time message for the next page. */
  flash?: string;
};

/** The page sizes the preferences form offers. */
export const PAGE_SIZES: readonly number[] = [5, 10, 25, 50];

/** The page size before the visitor picks one. */
export const DEFAULT_PAGE_SIZE = 10;
