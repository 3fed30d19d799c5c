/**
 * Readies zod schemas to be shared by every workflow of a worker (workflows/shared-modules.ts). The workflow
 * sandbox deep-freezes what it shares, and zod builds some members of a schema only when first read (its methods,
 * bound to it; whether a field is optional, its literal values, an object's shape), keeping each by defining it on
 * the schema or its internals — which a frozen object refuses with a TypeError in the middle of a workflow's update
 * validator. So each such member is read here, before the freeze, through the whole graph of each schema: its
 * definition (shape, options, inner types, checks) and every lazy getter zod installed on its prototypes.
 *
 * Relies on zod's internals being reachable as `schema._zod` (zod 4's documented extension point for libraries)
 * and its lazy members being getters on the prototype chains of the schema and of `_zod`; test/contracts/preloaded-zod.test.ts freezes
 * the warmed schemas as the SDK does and runs every update validator against them, so a zod upgrade that memoizes
 * something else fails there, not in a workflow.
 */
export function warmZodSchemas(values: Iterable<unknown>): number {
  const seen = new WeakSet<object>();
  let schemas = 0;
  const visit = (value: unknown): void => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
    if (seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const internals = (value as { _zod?: unknown })._zod;
    if (typeof internals !== 'object' || internals === null) {
      // A plain object of schemas (an object schema's shape) or anything else exported: look one level in.
      if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) visit(v);
      return;
    }
    schemas++;
    // The schema's methods too: each is bound to the schema, and kept on it, on its first read.
    for (const key of lazyKeys(value)) visit(read(value, key));
    for (const key of lazyKeys(internals)) visit(read(internals, key));
    for (const key of Object.getOwnPropertyNames(internals)) visit(read(internals, key));
    const def = (internals as { def?: unknown }).def;
    // The definition's own accessors too: an object schema's `shape` is fixed on its first read.
    if (typeof def === 'object' && def !== null)
      for (const key of Object.getOwnPropertyNames(def)) visit(read(def, key));
  };
  for (const value of values) visit(value);
  return schemas;
}

/** The getters on an object's prototype chain (below Object.prototype): zod's lazily derived fields. */
function lazyKeys(object: object): string[] {
  const keys: string[] = [];
  for (let proto = Object.getPrototypeOf(object) as object | null; proto && proto !== Object.prototype;) {
    for (const key of Object.getOwnPropertyNames(proto))
      if (Object.getOwnPropertyDescriptor(proto, key)?.get) keys.push(key);
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return keys;
}

function read(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    // A getter that cannot answer for this schema (none known): nothing to memoize.
    return undefined;
  }
}
