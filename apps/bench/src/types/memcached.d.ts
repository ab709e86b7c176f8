// The `memcached` client ships no types and @types/memcached is not installed: the bench needs only these.
declare module 'memcached' {
  class Memcached {
    constructor(servers: string | string[], options?: Record<string, unknown>);
    get(key: string, callback: (error: unknown, data: unknown) => void): void;
    gets(key: string, callback: (error: unknown, data: unknown) => void): void;
    set(
      key: string,
      value: unknown,
      lifetime: number,
      callback: (error: unknown, result: boolean) => void,
    ): void;
    add(
      key: string,
      value: unknown,
      lifetime: number,
      callback: (error: unknown, result: boolean) => void,
    ): void;
    replace(
      key: string,
      value: unknown,
      lifetime: number,
      callback: (error: unknown, result: boolean) => void,
    ): void;
    cas(
      key: string,
      value: unknown,
      cas: string,
      lifetime: number,
      callback: (error: unknown, result: boolean) => void,
    ): void;
    del(key: string, callback: (error: unknown, result: boolean) => void): void;
    touch(key: string, lifetime: number, callback: (error: unknown) => void): void;
    end(): void;
  }
  export default Memcached;
}
