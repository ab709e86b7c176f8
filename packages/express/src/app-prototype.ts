/**
 * Express gives every request and response its app's prototype (`Object.setPrototypeOf`), after which V8
 * builds a new hidden class for each property added to that one object. What sess adds therefore goes once
 * on the prototype just below Node's own (`IncomingMessage.prototype` or `ServerResponse.prototype`):
 * Express's request or response object, shared by every app and sub-app.
 *
 * Returns a look-up from an object's own prototype to what `install` made of that shared prototype (null:
 * there is none, or `install` refused it), worked out once per app prototype and remembered.
 */
export function perAppPrototype<T extends object>(
  base: object,
  install: (shared: object) => T | null,
): (own: object) => T | null {
  const found = new WeakMap<object, T | null>();
  return (own) => {
    let shared = found.get(own);
    if (shared === undefined) {
      const below = prototypeBelow(own, base);
      shared = below === null ? null : install(below);
      found.set(own, shared);
    }
    return shared;
  };
}

/** The prototype on `start`'s chain whose own prototype is `base`, or null when `base` is not on it. */
function prototypeBelow(start: object, base: object): object | null {
  let proto: object | null = start;
  while (proto !== null) {
    const next = Object.getPrototypeOf(proto) as object | null;
    if (next === base) return proto;
    proto = next;
  }
  return null;
}
