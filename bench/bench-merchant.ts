/** The demo merchant with limits raised for load, plus 50 extra products for the large-cart case. */
import { DEMO_CONFIG_PATH, loadMerchantConfigs } from '../api/src/config/load-config.ts';
import type { MerchantConfig } from '../shared/src/config.ts';

export const HOT_SKU = 'MUG-01';
export const HOT_STOCK = 3000;
export const CART_SKUS = Array.from({ length: 50 }, (_, i) => `BENCH-${String(i + 1).padStart(3, '0')}`);

export function benchMerchant(): MerchantConfig {
  const [demo] = loadMerchantConfigs(DEMO_CONFIG_PATH);
  const config = structuredClone((demo as NonNullable<typeof demo>).config);
  config.limits = { promisePerMinutePerIp: 100_000_000, writesPerMinutePerKey: 100_000_000 };
  CART_SKUS.forEach((sku, i) => {
    config.products.push({ sku, name: `Bench ${i}`, weightGrams: 100, dimensionsCm: [10, 10, 5] });
    // Forty lines in Paris and ten only in Lyon: the cart splits into two shipments.
    config.inventory?.push({ warehouse: i < 40 ? 'paris' : 'lyon', sku, onHand: 1_000_000 });
  });
  // The hot sku of the booking benchmark: less stock than the load asks for, so it sells out under load.
  config.inventory = config.inventory?.map((level) =>
    level.sku === HOT_SKU ? { ...level, onHand: level.warehouse === 'paris' ? HOT_STOCK : 0, incoming: [] } : level,
  );
  return config;
}
