/** Properties of the promise rule over random instants, carts and calendars (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseConfig, promiseAt, withLyon } from '../../../test/fixtures/merchant.ts';
import { BusinessCalendar } from './calendar.ts';
import { dayFromIso } from './local-date.ts';
import { compileMerchant } from './merchant.ts';

const START = Date.parse('2026-01-01T00:00:00Z');
const instant = fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }).map((minutes) => START + minutes * 60_000);
const weekdays = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 });
const world = fc.record({
  workingDays: weekdays,
  pickupDays: weekdays,
  deliveryDays: weekdays,
  handlingDays: fc.integer({ min: 0, max: 3 }),
  transit: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
  cutoff: fc.constantFrom('00:00', '02:30', '09:15', '14:00', '23:59'),
  region: fc.constantFrom(null, '57'),
  timeZone: fc.constantFrom('Europe/Paris', 'America/New_York', 'Asia/Kolkata'),
  quantity: fc.integer({ min: 1, max: 60 }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function configOf(w: World) {
  const config = withLyon(baseConfig(), { handlingDays: 1 });
  for (const warehouse of config.warehouses) {
    Object.assign(warehouse, {
      workingDays: w.workingDays,
      handlingDays: w.handlingDays,
      cutoffs: { default: w.cutoff },
      timeZone: w.timeZone,
      holidays: { country: 'FR', region: w.region },
    });
  }
  const carrier = config.carriers[0]!;
  carrier.pickupDays = [...new Set([...w.pickupDays, w.workingDays[0]!])];
  carrier.deliveryDays = w.deliveryDays;
  const [a, b] = w.transit;
  carrier.services[0]!.lanes[0]!.transitDays = [Math.min(a, b), Math.max(a, b)];
  config.inventory = [
    { warehouse: 'paris', sku: 'MUG-01', onHand: 20, incoming: [{ quantity: 30, expectedAt: '2026-06-10' }] },
    { warehouse: 'lyon', sku: 'MUG-01', onHand: 5 },
    { warehouse: 'lyon', sku: 'TEE-02', onHand: 50 },
  ];
  return config;
}

const cart = (quantity: number) => [
  { sku: 'MUG-01', quantity },
  { sku: 'TEE-02', quantity: 1 },
];

describe('promise properties', () => {
  it('never delivers before dispatch, and earliest ≤ latest', () => {
    fc.assert(
      fc.property(world, instant, (w, now) => {
        const result = promiseAt(configOf(w), { at: new Date(now).toISOString(), lines: cart(w.quantity) });
        for (const option of result.options) {
          expect(option.delivery.earliest <= option.delivery.latest).toBe(true);
          for (const shipment of option.shipments) {
            expect(shipment.dispatchDate <= shipment.delivery.earliest).toBe(true);
            expect(shipment.delivery.earliest <= shipment.delivery.latest).toBe(true);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('dispatches only on warehouse days that are pickup days (never on a holiday)', () => {
    fc.assert(
      fc.property(world, instant, (w, now) => {
        const config = configOf(w);
        const merchant = compileMerchant(config);
        const calendar = new BusinessCalendar();
        const result = promiseAt(config, { at: new Date(now).toISOString(), lines: cart(w.quantity) });
        for (const option of result.options) {
          for (const shipment of option.shipments) {
            const warehouse = merchant.warehouseById.get(shipment.warehouse)!;
            expect(calendar.isPickupDay(warehouse, merchant.carriers[0]!, dayFromIso(shipment.dispatchDate)!)).toBe(
              true,
            );
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('never promises an earlier delivery for a later order', () => {
    fc.assert(
      fc.property(world, instant, fc.integer({ min: 1, max: 10 * 24 * 60 }), (w, now, minutesLater) => {
        const config = configOf(w);
        const lines = cart(w.quantity);
        const first = promiseAt(config, { at: new Date(now).toISOString(), lines });
        const later = promiseAt(config, { at: new Date(now + minutesLater * 60_000).toISOString(), lines });
        for (const option of later.options) {
          const before = first.options.find((o) => o.id === option.id);
          if (!before) continue;
          expect(option.delivery.earliest >= before.delivery.earliest).toBe(true);
          expect(option.delivery.latest >= before.delivery.latest).toBe(true);
          expect(option.dispatchDate >= before.dispatchDate).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('shows a cut-off only while it is ahead', () => {
    fc.assert(
      fc.property(world, instant, (w, now) => {
        const result = promiseAt(configOf(w), { at: new Date(now).toISOString(), lines: cart(w.quantity) });
        for (const option of result.options)
          if (option.cutoffAt) expect(Date.parse(option.cutoffAt)).toBeGreaterThan(now);
      }),
      { numRuns: 100 },
    );
  });
});
