import { isSessionError } from '@sess/core';

/** Exit status: the command did what was asked. */
export const EXIT_OK = 0;
/** Exit status: the operation failed (store unreachable, store error, nothing matched). */
export const EXIT_FAILED = 1;
/** Exit status: bad usage or configuration (unknown flag, bad config file, a command the engine cannot do). */
export const EXIT_USAGE = 2;

/**
 * A mistake in how `sess` was called (flags, config file, environment, a command the engine cannot do):
 * exit status 2, printed with the command's usage unless `showUsage` is false.
 */
export class UsageError extends Error {
  readonly showUsage: boolean;

  constructor(message: string, options: { cause?: unknown; showUsage?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UsageError';
    this.showUsage = options.showUsage ?? true;
  }
}

/** An operation that ran and did not succeed, without a store error behind it: exit status 1. */
export class OperationFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperationFailed';
  }
}

/** The exit status for an error a command threw. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT_USAGE;
  if (isSessionError(error) && (error.code === 'CONFIG_INVALID' || error.code === 'CAPABILITY_MISSING')) {
    return EXIT_USAGE;
  }
  return EXIT_FAILED;
}

/** One line saying what went wrong: the error's own message, which names the package and operation. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
