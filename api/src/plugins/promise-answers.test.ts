import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONDAY_MORNING, testApp } from '../../../test/fixtures/app.ts';
import type { MerchantRuntime } from '../merchants/registry.ts';
import type { PromiseRequest } from '../promise/compute-promise.ts';
import { PROMISE_ANSWERS_DEFAULTS, PromiseAnswers } from './promise-answers.ts';

const BASE = '/v1/promise?key=pk_test_fixture&country=FR&postalCode=75011';
const MUG: PromiseRequest = { lines: [{ sku: 'MUG-01', quantity: 1 }], country: 'FR', postalCode: '75011' };

describe('PromiseAnswers', () => {
  let app: FastifyInstance;
  let runtime: MerchantRuntime;
  beforeAll(async () => {
    app = await testApp();
    runtime = app.merchants.byId('test') as MerchantRuntime;
  });
  afterAll(async () => app.close());

  it('reuses an answer for the same request within one UTC minute and stock version', async () => {
    const answers = new PromiseAnswers(app);
    const first = await answers.answer(runtime, MUG, MONDAY_MORNING);
    expect(await answers.answer(runtime, MUG, MONDAY_MORNING + 59_999)).toBe(first);
    expect(await answers.answer(runtime, { ...MUG, postalCode: '75012' }, MONDAY_MORNING)).not.toBe(first);
    expect(await answers.answer(runtime, MUG, MONDAY_MORNING + 60_000)).not.toBe(first);
    app.stock.invalidate('test', 'MUG-01');
    const afterStockChange = await answers.answer(runtime, MUG, MONDAY_MORNING);
    expect(afterStockChange).not.toBe(first);
    expect(afterStockChange.etag).toBe(first.etag); // same stock shown, so the same ETag
    expect(answers.size).toBe(4);
  });

  it('keeps no answer that names an unknown sku, alone or beside a known one', async () => {
    const answers = new PromiseAnswers(app);
    const unknown = { ...MUG, lines: [{ sku: `X${'9'.repeat(63)}`, quantity: 1 }] };
    const mixed = { ...MUG, lines: [...MUG.lines, { sku: 'NOPE-1', quantity: 2 }] };
    expect((await answers.answer(runtime, unknown, MONDAY_MORNING)).result.reason).toBe('unknown_sku');
    expect((await answers.answer(runtime, mixed, MONDAY_MORNING)).result.items[1]?.reason).toBe('unknown_sku');
    expect(answers.size).toBe(0);
    expect(answers.calculatedSize).toBe(0);
  });

  it('never holds more than maxSize bytes, however many distinct requests come', async () => {
    const maxSize = 16 * 1024;
    const answers = new PromiseAnswers(app, { maxSize });
    const sizes: number[] = [];
    for (let quantity = 1; quantity <= 60; quantity++) {
      const lines = [
        { sku: 'MUG-01', quantity },
        { sku: 'TEE-02', quantity: 1 },
      ];
      await answers.answer(runtime, { ...MUG, lines }, MONDAY_MORNING);
      sizes.push(answers.calculatedSize);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(maxSize);
    expect(answers.calculatedSize).toBeGreaterThan(maxSize / 2); // it does keep answers, up to the bound
    expect(answers.size).toBeLessThan(60); // older ones were evicted
  });

  it('bounds the cache by 32 MiB with a 2-minute TTL by default', () => {
    expect(PROMISE_ANSWERS_DEFAULTS).toEqual({ maxSize: 32 * 1024 * 1024, ttl: 120_000 });
  });

  it('serves no answer past its TTL', async () => {
    let clock = 1_000_000;
    const answers = new PromiseAnswers(app, { ttl: 120_000, clock: () => clock });
    const first = await answers.answer(runtime, MUG, MONDAY_MORNING);
    clock += 120_000;
    expect(await answers.answer(runtime, MUG, MONDAY_MORNING)).toBe(first);
    clock += 1;
    const later = await answers.answer(runtime, MUG, MONDAY_MORNING);
    expect(later).not.toBe(first);
    expect(later.etag).toBe(first.etag);
    expect(answers.size).toBe(1);
  });

  it('serves the route from the app’s cache: same ETag and promiseId, unknown skus kept out', async () => {
    const fresh = await testApp();
    const first = await fresh.inject(`${BASE}&sku=MUG-01`);
    const second = await fresh.inject(`${BASE}&sku=MUG-01`);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.json().promiseId).toBe(first.json().promiseId);
    expect(fresh.promiseAnswers.size).toBe(1);
    for (let i = 0; i < 20; i++) {
      const response = await fresh.inject(`${BASE}&items=MUG-01:1,RANDOM-${i}-${'Z'.repeat(50)}:1`);
      expect(response.json().items[1].reason).toBe('unknown_sku');
    }
    expect(fresh.promiseAnswers.size).toBe(1);
    await fresh.close();
  });
});
