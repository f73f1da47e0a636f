/**
 * How an adapter becomes one `Store`: its port objects (a class per port, sharing one database handle), their
 * methods bound and gathered into one object. Both adapters build themselves this way.
 */
import type { Store } from './store.ts';

type Intersection<U> = (U extends unknown ? (whole: U) => void : never) extends (whole: infer I) => void ? I : never;

/** The methods of each port object, bound to it, in one object; a method named twice is a mistake and throws. */
export function composeStore<P extends object[]>(...ports: P): Intersection<P[number]> {
  const store: Record<string, unknown> = {};
  for (const port of ports) {
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(port))) {
      const method = (port as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof method !== 'function') continue;
      if (name in store) throw new Error(`store method ${name} is implemented twice`);
      store[name] = method.bind(port);
    }
  }
  return store as Intersection<P[number]>;
}

/** Checks at compile time that an adapter's ports add up to the whole store. */
export const asStore = <S extends Store>(store: S): S => store;
