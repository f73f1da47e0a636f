import { describe, expect, it } from 'vitest';
import type { DeliveryOption } from '../../../shared/src/promise.ts';
import { baseConfig, promiseAt } from '../../../test/fixtures/merchant.ts';
import { mergeLines, sortAndTag } from './compute-promise.ts';

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
            },
          ],
          tags: ['fastest', 'cheapest'],
        },
      ],
    });
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
