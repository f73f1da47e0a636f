/** The carrier adapters by name (`carriers[].adapter`), and the one a merchant's carrier goes through. */
import type { Merchant } from '../../promise/merchant.ts';
import type { CarrierAdapter } from './carrier-adapter.ts';

export type CarrierAdapters = Readonly<Record<string, CarrierAdapter>>;

/** The adapter a merchant's carrier names (`sandbox` when it names none), and that adapter, or null if none. */
export function adapterOf(
  adapters: CarrierAdapters,
  merchant: Merchant | undefined,
  carrierId: string,
): { name: string; adapter: CarrierAdapter | null } {
  const name = merchant?.carriers.find((c) => c.id === carrierId)?.adapter ?? 'sandbox';
  // Config names are never looked up on a plain object's prototype (an adapter called `constructor`).
  return { name, adapter: Object.hasOwn(adapters, name) ? (adapters[name] ?? null) : null };
}
