/** The dates of CONTRACT §3, one named case per step, through the whole core with a one-service merchant. */
import { describe, expect, it } from 'vitest';
import { baseConfig, onlyOption, promiseAt } from '../../../test/fixtures/merchant.ts';

function dates(result: ReturnType<typeof promiseAt>) {
  const option = onlyOption(result);
  return { dispatch: option.dispatchDate, ...option.delivery, cutoffAt: option.cutoffAt };
}

describe('cut-off', () => {
  it('dispatches today when ordered one minute before the cut-off (Monday 13:59 Paris)', () => {
    expect(dates(promiseAt(baseConfig(), { at: '2026-11-23T12:59:00Z' }))).toEqual({
      dispatch: '2026-11-23',
      earliest: '2026-11-24',
      latest: '2026-11-25',
      cutoffAt: '2026-11-23T13:00:00.000Z',
    });
  });

  it('dispatches the next warehouse day when ordered exactly at the cut-off (Monday 14:00 Paris)', () => {
    expect(dates(promiseAt(baseConfig(), { at: '2026-11-23T13:00:00Z' }))).toEqual({
      dispatch: '2026-11-24',
      earliest: '2026-11-25',
      latest: '2026-11-26',
      cutoffAt: null,
    });
  });

  it('dispatches the next warehouse day when ordered one minute after the cut-off', () => {
    expect(dates(promiseAt(baseConfig(), { at: '2026-11-23T13:01:00Z' })).dispatch).toBe('2026-11-24');
  });

  it('uses the carrier cut-off over the warehouse default', () => {
    const config = baseConfig();
    config.warehouses[0]!.cutoffs = { default: '14:00', colissimo: '16:00' };
    const result = dates(promiseAt(config, { at: '2026-11-23T14:30:00Z' }));
    expect(result.dispatch).toBe('2026-11-23');
    expect(result.cutoffAt).toBe('2026-11-23T15:00:00.000Z');
  });

  it('moves Friday evening orders to Monday and has no cut-off to show', () => {
    expect(dates(promiseAt(baseConfig(), { at: '2026-11-27T17:00:00Z' }))).toEqual({
      dispatch: '2026-11-30',
      earliest: '2026-12-01',
      latest: '2026-12-02',
      cutoffAt: null,
    });
  });

  it('starts from Monday on a Sunday, even before the cut-off time', () => {
    expect(dates(promiseAt(baseConfig(), { at: '2026-11-29T09:00:00Z' })).dispatch).toBe('2026-11-30');
  });
});

describe('daylight saving time', () => {
  it('keeps the 14:00 Paris cut-off at 13:00Z before and 12:00Z after the spring change', () => {
    expect(dates(promiseAt(baseConfig(), { at: '2026-03-27T09:00:00Z' })).cutoffAt).toBe('2026-03-27T13:00:00.000Z');
    expect(dates(promiseAt(baseConfig(), { at: '2026-03-30T09:00:00Z' })).cutoffAt).toBe('2026-03-30T12:00:00.000Z');
  });

  it('is past the cut-off at 12:30Z on the Monday after the spring change (14:30 CEST)', () => {
    expect(dates(promiseAt(baseConfig(), { at: '2026-03-30T12:30:00Z' })).dispatch).toBe('2026-03-31');
  });

  it('keeps the 14:00 Paris cut-off at 13:00Z after the autumn change', () => {
    expect(dates(promiseAt(baseConfig(), { at: '2026-10-26T12:30:00Z' }))).toMatchObject({
      dispatch: '2026-10-26',
      cutoffAt: '2026-10-26T13:00:00.000Z',
    });
  });

  it('resolves a cut-off inside the spring gap to the end of the gap (Paris, Sunday 29 March, 02:30)', () => {
    const config = baseConfig();
    config.warehouses[0]!.workingDays = [1, 2, 3, 4, 5, 6, 7];
    config.warehouses[0]!.cutoffs = { default: '02:30' };
    config.carriers[0]!.pickupDays = [1, 2, 3, 4, 5, 6, 7];
    expect(dates(promiseAt(config, { at: '2026-03-29T00:59:00Z' }))).toMatchObject({
      dispatch: '2026-03-29',
      cutoffAt: '2026-03-29T01:00:00.000Z',
    });
    expect(dates(promiseAt(config, { at: '2026-03-29T01:00:00Z' })).dispatch).toBe('2026-03-30');
  });

  it('takes the first of a repeated cut-off time (Paris, Sunday 25 October, 02:30)', () => {
    const config = baseConfig();
    config.warehouses[0]!.workingDays = [1, 2, 3, 4, 5, 6, 7];
    config.warehouses[0]!.cutoffs = { default: '02:30' };
    config.carriers[0]!.pickupDays = [1, 2, 3, 4, 5, 6, 7];
    expect(dates(promiseAt(config, { at: '2026-10-25T00:29:00Z' })).dispatch).toBe('2026-10-25');
    expect(dates(promiseAt(config, { at: '2026-10-25T01:15:00Z' })).dispatch).toBe('2026-10-26');
  });

  it('follows US DST for a New York warehouse (15:00 is 20:00Z on Friday 6 March, 19:00Z on Monday 9 March)', () => {
    const config = baseConfig();
    Object.assign(config.warehouses[0]!, {
      country: 'US',
      postalCode: '10001',
      timeZone: 'America/New_York',
      holidays: { country: 'US', region: 'NY' },
      cutoffs: { default: '15:00' },
    });
    config.carriers[0]!.services[0]!.lanes[0]!.from = ['US'];
    config.carriers[0]!.services[0]!.lanes[0]!.to = ['US'];
    const us = { country: 'US', postalCode: '94105' };
    expect(dates(promiseAt(config, { at: '2026-03-06T19:59:00Z', ...us })).cutoffAt).toBe('2026-03-06T20:00:00.000Z');
    expect(dates(promiseAt(config, { at: '2026-03-09T19:30:00Z', ...us })).dispatch).toBe('2026-03-10');
    expect(dates(promiseAt(config, { at: '2026-11-02T19:30:00Z', ...us })).dispatch).toBe('2026-11-02');
  });
});

describe('holidays and closures', () => {
  it('does not dispatch on Easter Monday', () => {
    expect(dates(promiseAt(baseConfig(), { at: '2026-04-06T08:00:00Z' })).dispatch).toBe('2026-04-07');
  });

  it('neither dispatches nor delivers on Christmas', () => {
    expect(dates(promiseAt(baseConfig(), { at: '2026-12-24T09:00:00Z' }))).toEqual({
      dispatch: '2026-12-24',
      earliest: '2026-12-26',
      latest: '2026-12-28',
      cutoffAt: '2026-12-24T13:00:00.000Z',
    });
  });

  it('closes on Good Friday and 26 December in Moselle (region 57) but not elsewhere in France', () => {
    const moselle = baseConfig();
    moselle.warehouses[0]!.holidays = { country: 'FR', region: '57' };
    expect(dates(promiseAt(moselle, { at: '2026-04-03T08:00:00Z' })).dispatch).toBe('2026-04-07');
    expect(dates(promiseAt(baseConfig(), { at: '2026-04-03T08:00:00Z' })).dispatch).toBe('2026-04-03');
    // 26 December is a Saturday in 2026; a Saturday-working Moselle warehouse still closes.
    moselle.warehouses[0]!.workingDays = [1, 2, 3, 4, 5, 6];
    moselle.carriers[0]!.pickupDays = [1, 2, 3, 4, 5, 6];
    expect(dates(promiseAt(moselle, { at: '2026-12-26T08:00:00Z' })).dispatch).toBe('2026-12-28');
  });

  it('skips closed dates (stocktaking on 31 December)', () => {
    const config = baseConfig();
    config.warehouses[0]!.closedDates = ['2026-12-31'];
    expect(dates(promiseAt(config, { at: '2026-12-31T08:00:00Z' })).dispatch).toBe('2027-01-04');
  });

  it('uses the destination country holidays on a cross-border lane (Paris to Berlin on 2. Weihnachtstag)', () => {
    const config = baseConfig();
    config.carriers[0]!.services[0]!.lanes[0]!.to = ['FR', 'DE'];
    // Dispatch Thursday 24 December; 25 is a holiday in both, 26 (Saturday) only in Germany.
    expect(dates(promiseAt(config, { at: '2026-12-24T09:00:00Z', country: 'DE', postalCode: '10115' }))).toMatchObject({
      earliest: '2026-12-28',
      latest: '2026-12-29',
    });
    expect(dates(promiseAt(config, { at: '2026-12-24T09:00:00Z' })).earliest).toBe('2026-12-26');
  });
});

describe('handling, pickup and delivery days', () => {
  it('adds handling days as warehouse days and keeps the cut-off that decides them', () => {
    const config = baseConfig();
    config.warehouses[0]!.handlingDays = 2;
    expect(dates(promiseAt(config, { at: '2026-11-26T09:00:00Z' }))).toEqual({
      dispatch: '2026-11-30',
      earliest: '2026-12-01',
      latest: '2026-12-02',
      cutoffAt: '2026-11-26T13:00:00.000Z',
    });
  });

  it('dispatches on Saturday from a Saturday-working warehouse when the carrier picks up on Saturday', () => {
    const config = baseConfig();
    config.warehouses[0]!.workingDays = [1, 2, 3, 4, 5, 6];
    config.carriers[0]!.pickupDays = [1, 2, 3, 4, 5, 6];
    expect(dates(promiseAt(config, { at: '2026-11-28T09:00:00Z' }))).toMatchObject({
      dispatch: '2026-11-28',
      earliest: '2026-11-30',
    });
  });

  it('waits for the carrier pickup day (a carrier that picks up on Tuesdays and Thursdays only)', () => {
    const config = baseConfig();
    config.carriers[0]!.pickupDays = [2, 4];
    const result = dates(promiseAt(config, { at: '2026-11-23T09:00:00Z' }));
    expect(result.dispatch).toBe('2026-11-24');
    // Ordering after Monday's cut-off still ships Tuesday, so Monday's cut-off is not shown.
    expect(result.cutoffAt).toBeNull();
  });

  it('delivers only on the carrier delivery days (relay points open Tuesday to Saturday)', () => {
    const config = baseConfig();
    config.carriers[0]!.deliveryDays = [2, 3, 4, 5, 6];
    expect(dates(promiseAt(config, { at: '2026-11-27T09:00:00Z' }))).toMatchObject({
      dispatch: '2026-11-27',
      earliest: '2026-11-28',
      latest: '2026-12-01',
    });
  });
});

describe('incoming stock', () => {
  it('starts from the first warehouse day on or after the arrival, with no cut-off', () => {
    const config = baseConfig();
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 0, incoming: [{ quantity: 10, expectedAt: '2026-12-05' }] },
    ];
    const result = promiseAt(config, { at: '2026-11-23T09:00:00Z' });
    expect(result.items[0]).toMatchObject({ available: true, availableFrom: '2026-12-05' });
    expect(dates(result)).toEqual({
      dispatch: '2026-12-07',
      earliest: '2026-12-08',
      latest: '2026-12-09',
      cutoffAt: null,
    });
  });

  it('uses stock on hand first and the incoming quantity for the rest', () => {
    const config = baseConfig();
    config.inventory = [
      {
        warehouse: 'paris',
        sku: 'MUG-01',
        onHand: 3,
        incoming: [
          { quantity: 2, expectedAt: '2026-12-01' },
          { quantity: 10, expectedAt: '2026-12-10' },
        ],
      },
    ];
    const when = (quantity: number) =>
      promiseAt(config, { at: '2026-11-23T09:00:00Z', lines: [{ sku: 'MUG-01', quantity }] }).items[0]?.availableFrom;
    expect(when(3)).toBeNull();
    expect(when(5)).toBe('2026-12-01');
    expect(when(6)).toBe('2026-12-10');
  });

  it('ignores a past arrival date: the start stays today', () => {
    const config = baseConfig();
    config.inventory = [
      { warehouse: 'paris', sku: 'MUG-01', onHand: 0, incoming: [{ quantity: 10, expectedAt: '2026-11-20' }] },
    ];
    expect(dates(promiseAt(config, { at: '2026-11-23T09:00:00Z' })).dispatch).toBe('2026-11-23');
  });
});
