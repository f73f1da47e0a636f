import { describe, expect, it } from 'vitest';
import type { DeliveryOption } from '../../../shared/src/promise.ts';
import { baseConfig, onlyOption, promiseAt } from '../../../test/fixtures/merchant.ts';
import { validateMerchantConfig } from '../config/validate-config.ts';
import { mergeLines, sortAndTag } from './compute-promise.ts';
import { TransitModel } from './learned-transit.ts';
import { MS_PER_DAY } from './local-date.ts';

function option(id: string, earliest: string, latest: string, amount: number): DeliveryOption {
  return {
    id,
    carrier: 'c',
    service: id,
    name: id,
    deliveryType: 'home',
    price: { amount, currency: 'EUR' },
    cutoffAt: null,
    dispatchDate: '2026-11-23',
    delivery: { earliest, latest },
    shipments: [],
    tags: [],
    estimate: { basis: 'configured', samples: 0, onTimeTarget: 0.95 },
  };
}

describe('computePromise', () => {
  it('answers the contract example in full', () => {
    expect(promiseAt(baseConfig(), { at: '2026-11-23T09:00:00Z' })).toEqual({
      status: 'available',
      reason: null,
      items: [{ sku: 'MUG-01', quantity: 1, available: true, availableFrom: null, reason: null }],
      options: [
        {
          id: 'colissimo-home',
          carrier: 'colissimo',
          service: 'colissimo-home',
          name: 'Colissimo Domicile',
          deliveryType: 'home',
          price: { amount: 759, currency: 'EUR' },
          cutoffAt: '2026-11-23T13:00:00.000Z',
          dispatchDate: '2026-11-23',
          delivery: { earliest: '2026-11-24', latest: '2026-11-25' },
          shipments: [
            {
              warehouse: 'paris',
              items: [{ sku: 'MUG-01', quantity: 1 }],
              dispatchDate: '2026-11-23',
              cutoffAt: '2026-11-23T13:00:00.000Z',
              delivery: { earliest: '2026-11-24', latest: '2026-11-25' },
              estimate: { basis: 'configured', samples: 0, onTimeTarget: 0.95 },
            },
          ],
          tags: ['fastest', 'cheapest'],
          estimate: { basis: 'configured', samples: 0, onTimeTarget: 0.95 },
        },
      ],
    });
  });

  it('promises from history once the lane has enough deliveries, and says so (CONTRACT §6)', () => {
    const transit = new TransitModel();
    const now = Date.parse('2026-11-23T09:00:00Z');
    const today = Math.floor(now / MS_PER_DAY);
    // 40 parcels, dispatched on the Mondays before, each delivered 3 delivery days later.
    for (let week = 1; week <= 40; week++) {
      transit.add(
        { service: 'colissimo-home', warehouse: 'paris', country: 'FR' },
        '75011',
        now - (week * 7 - 3) * MS_PER_DAY,
        3,
        today - week * 7,
      );
    }
    const learned = onlyOption(promiseAt(baseConfig(), { at: '2026-11-23T09:00:00Z', transit }));
    expect(learned.delivery).toEqual({ earliest: '2026-11-26', latest: '2026-11-26' }); // Monday + 3 delivery days
    expect(learned.dispatchDate).toBe('2026-11-23'); // steps 1–3 unchanged
    expect(learned.estimate).toEqual({ basis: 'history', samples: 40, onTimeTarget: 0.95 });
    expect(learned.shipments[0]?.estimate).toEqual({ basis: 'history', samples: 40, onTimeTarget: 0.95 });

    const config = baseConfig();
    config.estimates = { mode: 'configured' };
    const configured = onlyOption(promiseAt(config, { at: '2026-11-23T09:00:00Z', transit }));
    expect(configured.delivery).toEqual({ earliest: '2026-11-24', latest: '2026-11-25' });
    expect(configured.estimate.basis).toBe('configured');
  });

  it('merges cart lines of the same sku into one line', () => {
    expect(
      mergeLines([
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ]),
    ).toEqual([
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 1 },
    ]);
  });

  it('offers one option per service that carries every shipment', () => {
    const config = baseConfig();
    const home = config.carriers[0]!.services[0]!;
    config.carriers[0]!.services.push({
      ...structuredClone(home),
      id: 'relay',
      name: 'Relay',
      deliveryType: 'pickup_point',
    });
    config.carriers[0]!.services[1]!.lanes[0]!.to = ['BE'];
    expect(promiseAt(config, { at: '2026-11-23T09:00:00Z' }).options.map((o) => o.id)).toEqual(['colissimo-home']);
  });

  it('computes promises when carriers, services, warehouses and skus are named after Object.prototype members', () => {
    const config = baseConfig();
    const warehouse = config.warehouses[0]!;
    warehouse.id = 'hasOwnProperty';
    // `constructor` has no cut-off of its own, so it takes the default; `toString` has one.
    warehouse.cutoffs = { default: '14:00', toString: '16:00' };
    const carrier = config.carriers[0]!;
    carrier.id = 'constructor';
    carrier.services[0]!.id = 'valueOf';
    config.carriers.push({
      ...structuredClone(carrier),
      id: 'toString',
      name: 'Late pickup',
      services: [{ ...structuredClone(carrier.services[0]!), id: 'isPrototypeOf', name: 'Late' }],
    });
    config.products = [{ sku: 'constructor', name: 'Mug', weightGrams: 450, dimensionsCm: [12, 10, 10] }];
    config.inventory = [{ warehouse: 'hasOwnProperty', sku: 'constructor', onHand: 3 }];
    expect(validateMerchantConfig(config)).toEqual([]);

    const result = promiseAt(config, { at: '2026-11-23T09:00:00Z', lines: [{ sku: 'constructor', quantity: 1 }] });
    expect(result.status).toBe('available');
    expect(result.options.map((o) => [o.carrier, o.service, o.cutoffAt, o.shipments.map((s) => s.warehouse)])).toEqual([
      ['toString', 'isPrototypeOf', '2026-11-23T15:00:00.000Z', ['hasOwnProperty']],
      ['constructor', 'valueOf', '2026-11-23T13:00:00.000Z', ['hasOwnProperty']],
    ]);
    expect(promiseAt(config, { at: '2026-11-23T09:00:00Z', lines: [{ sku: 'toString', quantity: 1 }] })).toMatchObject({
      status: 'unavailable',
      reason: 'unknown_sku',
    });
  });
});

describe('sortAndTag', () => {
  it('sorts by earliest, then latest, then price, then id', () => {
    const sorted = sortAndTag([
      option('d', '2026-11-25', '2026-11-26', 100),
      option('c', '2026-11-24', '2026-11-26', 500),
      option('b', '2026-11-24', '2026-11-25', 900),
      option('a', '2026-11-24', '2026-11-25', 900),
    ]);
    expect(sorted.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('tags fastest on the first option and every option tied with it on both dates', () => {
    const sorted = sortAndTag([
      option('a', '2026-11-24', '2026-11-25', 900),
      option('b', '2026-11-24', '2026-11-25', 950),
      option('c', '2026-11-24', '2026-11-26', 100),
    ]);
    expect(sorted.map((o) => [o.id, o.tags])).toEqual([
      ['a', ['fastest']],
      ['b', ['fastest']],
      ['c', ['cheapest']],
    ]);
  });

  it('tags cheapest on every option with the lowest price', () => {
    const sorted = sortAndTag([
      option('a', '2026-11-24', '2026-11-25', 300),
      option('b', '2026-11-26', '2026-11-27', 300),
    ]);
    expect(sorted.map((o) => o.tags)).toEqual([['fastest', 'cheapest'], ['cheapest']]);
  });
});
