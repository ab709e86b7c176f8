const ignore = (): void => undefined;

/**
 * Runs the operations on one key one after another within this process, so requests of one process
 * queue in memory instead of polling each other's lock files (the lock file orders processes).
 */
export class KeyQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `operation` after every earlier operation on `key` has settled. */
  run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const result = (this.#tails.get(key) ?? Promise.resolve()).then(operation);
    const tail = result.then(ignore, ignore);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Settles once every operation queued so far has settled. */
  async idle(): Promise<void> {
    await Promise.all(this.#tails.values());
  }
}
