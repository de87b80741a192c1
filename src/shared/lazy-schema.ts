/**
 * A schema built the first time it is used, and then the same schema for good. Building all of
 * Keywarden's schemas when a module loads costs a short command tens of milliseconds (zod does real
 * work for each object, field and check), while `keywarden keys list` uses a handful of them. The
 * value stands in for the schema everywhere: every property, method and `instanceof` check reaches
 * the built schema, so the rest of the code neither knows nor cares.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined
  const real = (): T => (built ??= build())
  return new Proxy({} as T, {
    get: (_target, key) => {
      const schema = real()
      return Reflect.get(schema, key, schema) as unknown
    },
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    // Reported as configurable: the stand-in holds none of the schema's own (fixed) properties.
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key)
      return descriptor && { ...descriptor, configurable: true }
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    set: (_target, key, value) => Reflect.set(real(), key, value),
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(real(), key)
  })
}
