import { after, before } from 'node:test';

/**
 * Starts a resource in the current suite's `before` hook and stops it in its `after` hook; call it in a `describe`
 * body. Returns a stand-in that forwards every property read to the started resource, so tests use it like the
 * resource itself (reading it before the `before` hook ran is an error).
 */
export function perSuite<T extends object>(start: () => Promise<T>, stop: (resource: T) => Promise<unknown>): T {
  let resource: T | undefined;
  before(async () => {
    resource = await start();
  });
  after(async () => {
    if (resource) await stop(resource);
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!resource) throw new Error(`read ${String(key)} before the suite's before hook started the resource`);
      return Reflect.get(resource, key, resource) as unknown;
    },
  });
}
