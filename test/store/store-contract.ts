/**
 * What every store adapter must do, as one suite. Each adapter's test file calls it with a factory that gives a
 * fresh, empty store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../api/src/store/store.ts';
import type { Order } from '../../shared/src/orders.ts';

const level = (sku: string, onHand: number, warehouse = 'paris') => ({
  warehouse,
  sku,
  onHand,
  reserved: 0,
  safetyStock: 0,
  incoming: [] as { quantity: number; expectedAt: string }[],
});

export function describeStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    const open = async () => {
      store = await makeStore();
      await store.migrate();
      return store;
    };
    afterEach(async () => store?.close());

    it('migrates twice without harm', async () => {
      await open();
      await store.migrate();
      expect(await store.inventoryLevels('m', ['A'])).toEqual([]);
    });

    it('seeds only the levels it does not have yet', async () => {
      await open();
      expect(await store.seedInventory('m', [level('A', 5), level('B', 2)])).toBe(2);
      await store.updateInventory('m', 'paris', 'A', { onHand: 9 });
      expect(await store.seedInventory('m', [level('A', 5), level('C', 1)])).toBe(1);
      const levels = await store.inventoryLevels('m', ['A', 'B', 'C']);
      expect(levels.map((l) => [l.sku, l.onHand])).toEqual([
        ['A', 9],
        ['B', 2],
        ['C', 1],
      ]);
    });

    it('keeps every merchant to its own levels', async () => {
      await open();
      await store.seedInventory('m1', [level('A', 5)]);
      await store.seedInventory('m2', [level('A', 8)]);
      await store.updateInventory('m2', 'paris', 'A', { onHand: 0 });
      expect((await store.inventoryLevels('m1', ['A']))[0]?.onHand).toBe(5);
      expect((await store.inventoryLevels('m2', ['A']))[0]?.onHand).toBe(0);
    });

    it('replaces given fields, keeps the others and creates a missing level at zero', async () => {
      await open();
      const incoming = [{ quantity: 4, expectedAt: '2026-12-02' }];
      expect(await store.updateInventory('m', 'lyon', 'A', { safetyStock: 2, incoming })).toEqual({
        warehouse: 'lyon',
        sku: 'A',
        onHand: 0,
        reserved: 0,
        safetyStock: 2,
        incoming,
      });
      expect(await store.updateInventory('m', 'lyon', 'A', { onHand: 10 })).toMatchObject({
        onHand: 10,
        safetyStock: 2,
        incoming,
      });
      expect(await store.updateInventory('m', 'lyon', 'A', { incoming: [] })).toMatchObject({
        onHand: 10,
        incoming: [],
      });
    });

    it('returns levels of the asked skus in every warehouse, sku by sku', async () => {
      await open();
      await store.seedInventory('m', [
        level('B', 1, 'lyon'),
        level('A', 2, 'paris'),
        level('A', 3, 'lyon'),
        level('C', 4),
      ]);
      const levels = await store.inventoryLevels('m', ['A', 'B']);
      expect(levels.map((l) => `${l.sku}@${l.warehouse}`)).toEqual(['A@lyon', 'A@paris', 'B@lyon']);
    });

    const order = (id: string, reference: string, channel: string | null = 'web'): Order => ({
      id,
      reference,
      channel,
      status: 'accepted',
      createdAt: '2026-11-23T09:00:00.000Z',
      updatedAt: '2026-11-23T09:00:00.000Z',
      promiseId: null,
      optionId: 'home',
      items: [{ sku: 'A', quantity: 2, unitPrice: 100 }],
      shippingAddress: { name: 'A', line1: '1 rue', postalCode: '75011', city: 'Paris', country: 'FR' },
      totals: { items: 200, shipping: 0, tax: 0, total: 200, currency: 'EUR' },
      shipments: [],
      timeline: [],
    });
    const reserve = (sku: string, quantity: number, backorder = false, warehouse = 'paris') => ({
      warehouse,
      sku,
      quantity,
      backorder,
    });

    it('places an order: reserves, stores the order, the ledger and the outbox', async () => {
      await open();
      await store.seedInventory('m', [level('A', 5)]);
      const outbox = [{ type: 'order.accepted', orderId: 'ord_1', payload: { orderId: 'ord_1' } }];
      expect(await store.placeOrder('m', order('ord_1', 'R1'), [reserve('A', 2)], outbox)).toEqual({ ok: true });
      expect((await store.inventoryLevels('m', ['A']))[0]).toMatchObject({ onHand: 5, reserved: 2 });
      expect((await store.getOrder('m', 'ord_1'))?.reference).toBe('R1');
      expect(
        (await store.stockMovements('m', 'A', 10)).map((mv) => [
          mv.reason,
          mv.onHandDelta,
          mv.reservedDelta,
          mv.orderId,
        ]),
      ).toEqual([
        ['reserve', 0, 2, 'ord_1'],
        ['seed', 5, 0, null],
      ]);
    });

    it('reserves nothing and stores nothing when one reservation fails', async () => {
      await open();
      await store.seedInventory('m', [level('A', 5), level('B', 1)]);
      const result = await store.placeOrder('m', order('ord_1', 'R1'), [reserve('A', 2), reserve('B', 2)], []);
      expect(result).toEqual({ ok: false, reason: 'out_of_stock', failed: [reserve('B', 2)] });
      expect((await store.inventoryLevels('m', ['A', 'B'])).map((l) => l.reserved)).toEqual([0, 0]);
      expect(await store.getOrder('m', 'ord_1')).toBeNull();
    });

    it('never reserves past on hand minus safety stock, but backorders against incoming stock', async () => {
      await open();
      await store.seedInventory('m', [
        { ...level('A', 3), safetyStock: 1, incoming: [{ quantity: 4, expectedAt: '2026-12-01' }] },
      ]);
      expect((await store.placeOrder('m', order('o1', 'R1'), [reserve('A', 3)], [])).ok).toBe(false);
      expect((await store.placeOrder('m', order('o2', 'R2'), [reserve('A', 2)], [])).ok).toBe(true);
      expect((await store.placeOrder('m', order('o3', 'R3'), [reserve('A', 4, true)], [])).ok).toBe(true);
      expect((await store.placeOrder('m', order('o4', 'R4'), [reserve('A', 1, true)], [])).ok).toBe(false);
      expect((await store.inventoryLevels('m', ['A']))[0]?.reserved).toBe(6);
    });

    it('refuses a second order with the same reference and channel, naming the first', async () => {
      await open();
      await store.seedInventory('m', [level('A', 5)]);
      await store.placeOrder('m', order('ord_1', 'R1'), [reserve('A', 1)], []);
      expect(await store.placeOrder('m', order('ord_2', 'R1'), [reserve('A', 1)], [])).toEqual({
        ok: false,
        reason: 'duplicate_reference',
        orderId: 'ord_1',
      });
      expect((await store.placeOrder('m', order('ord_3', 'R1', 'app'), [reserve('A', 1)], [])).ok).toBe(true);
      expect((await store.inventoryLevels('m', ['A']))[0]?.reserved).toBe(2);
      expect((await store.findOrders('m', { reference: 'R1' })).map((o) => o.id).sort()).toEqual(['ord_1', 'ord_3']);
      expect((await store.findOrders('m', { reference: 'R1', channel: 'app' })).map((o) => o.id)).toEqual(['ord_3']);
      expect(await store.getOrder('other', 'ord_1')).toBeNull();
    });

    it('changes an order in one transaction: releases and shipments move stock', async () => {
      await open();
      await store.seedInventory('m', [level('A', 5)]);
      await store.placeOrder('m', order('ord_1', 'R1'), [reserve('A', 3)], []);
      const released = await store.changeOrder('m', 'ord_1', (o) => ({
        ok: true,
        order: { ...o, status: 'in_preparation', updatedAt: '2026-11-23T10:00:00.000Z' },
        releases: [reserve('A', 1)],
        consumes: [reserve('A', 2)],
      }));
      expect(released?.ok).toBe(true);
      expect((await store.inventoryLevels('m', ['A']))[0]).toMatchObject({ onHand: 3, reserved: 0 });
      expect((await store.getOrder('m', 'ord_1'))?.status).toBe('in_preparation');
      const refused = await store.changeOrder('m', 'ord_1', () => ({ ok: false, error: 'no' }));
      expect(refused).toEqual({ ok: false, error: 'no' });
      expect(await store.changeOrder('m', 'missing', (o) => ({ ok: true, order: o }))).toBeNull();
    });

    it('stores the answer of a change under its claimed key in the same transaction, and not when it is refused', async () => {
      await open();
      const now = Date.parse('2026-11-23T09:00:00Z');
      await store.seedInventory('m', [level('A', 5)]);
      await store.placeOrder('m', order('ord_1', 'R1'), [reserve('A', 3)], []);
      expect(await store.claimIdempotencyKey('m', 'edit-1', 'h', now)).toEqual({ state: 'new' });
      await store.changeOrder('m', 'ord_1', (o) => ({
        ok: true,
        order: { ...o, updatedAt: '2026-11-23T10:00:00.000Z' },
        releases: [reserve('A', 1)],
        answer: { key: 'edit-1', statusCode: 200, body: '{"edited":true}', now },
      }));
      expect(await store.claimIdempotencyKey('m', 'edit-1', 'h', now + 1000)).toEqual({
        state: 'replay',
        statusCode: 200,
        body: '{"edited":true}',
      });
      expect(await store.claimIdempotencyKey('m', 'edit-2', 'h', now)).toEqual({ state: 'new' });
      await store.changeOrder('m', 'ord_1', () => ({ ok: false, error: 'no' }));
      expect(await store.claimIdempotencyKey('m', 'edit-2', 'h', now + 10)).toEqual({ state: 'in_progress' });
    });

    it("restocks a return's units with a 'return' ledger line (a new level where there is none) and indexes the return", async () => {
      await open();
      await store.seedInventory('m', [level('A', 5)]);
      await store.placeOrder('m', order('ord_1', 'R1'), [reserve('A', 2)], []);
      await store.changeOrder('m', 'ord_1', (o) => ({
        ok: true,
        order: { ...o, updatedAt: '2026-11-30T10:00:00.000Z' },
        restocks: [
          { warehouse: 'paris', sku: 'A', quantity: 2, note: 'return ret_1' },
          { warehouse: 'lyon', sku: 'A', quantity: 1, note: 'return ret_1' },
        ],
        newReturns: ['ret_1'],
      }));
      const levels = await store.inventoryLevels('m', ['A']);
      expect(levels.map((l) => [l.warehouse, l.onHand, l.reserved]).sort()).toEqual([
        ['lyon', 1, 0],
        ['paris', 7, 2],
      ]);
      const [latest] = await store.stockMovements('m', 'A', 1);
      expect(latest).toMatchObject({
        reason: 'return',
        onHandDelta: expect.any(Number),
        orderId: 'ord_1',
        note: 'return ret_1',
      });
      expect(await store.findOrderOf('m', 'ret_1')).toBe('ord_1');
      expect(await store.findOrderOf('other', 'ret_1')).toBeNull();
      // A refused change restocks nothing.
      await store.changeOrder('m', 'ord_1', () => ({ ok: false, error: 'no' }));
      expect((await store.inventoryLevels('m', ['A'])).find((l) => l.warehouse === 'paris')?.onHand).toBe(7);
    });

    it('keeps console sessions until they expire, replaces them, destroys and sweeps them', async () => {
      await open();
      const now = Date.parse('2026-11-23T09:00:00Z');
      await store.setSession('s1', '{"a":1}', now + 60_000);
      await store.setSession('s2', '{"b":2}', now + 10_000);
      expect(await store.getSession('s1', now)).toBe('{"a":1}');
      await store.setSession('s1', '{"a":2}', now + 120_000);
      expect(await store.getSession('s1', now + 90_000)).toBe('{"a":2}');
      expect(await store.getSession('s2', now + 10_000)).toBeNull(); // expired
      expect(await store.sweepSessions(now + 10_000)).toBe(1);
      await store.touchSession('s1', '{"a":3}', now + 120_000);
      expect(await store.getSession('s1', now)).toBe('{"a":3}');
      await store.destroySession('s1');
      expect(await store.getSession('s1', now)).toBeNull();
      // A refresh after the sign-out does not bring the session back.
      await store.touchSession('s1', '{"a":4}', now + 120_000);
      expect(await store.getSession('s1', now)).toBeNull();
      expect(await store.getSession('nope', now)).toBeNull();
    });

    it('claims idempotency keys: new, in progress, replay, mismatch, per merchant', async () => {
      await open();
      const now = Date.parse('2026-11-23T09:00:00Z');
      expect(await store.claimIdempotencyKey('m', 'k', 'h1', now)).toEqual({ state: 'new' });
      expect(await store.claimIdempotencyKey('m', 'k', 'h1', now + 10)).toEqual({ state: 'in_progress' });
      expect(await store.claimIdempotencyKey('other', 'k', 'h1', now)).toEqual({ state: 'new' });
      await store.completeIdempotencyKey('m', 'k', 201, '{"id":"ord_1"}', now);
      expect(await store.claimIdempotencyKey('m', 'k', 'h1', now + 1000)).toEqual({
        state: 'replay',
        statusCode: 201,
        body: '{"id":"ord_1"}',
      });
      expect(await store.claimIdempotencyKey('m', 'k', 'h2', now + 1000)).toEqual({ state: 'mismatch' });
      // kept for 24 hours, then the key is free again
      expect((await store.claimIdempotencyKey('m', 'k', 'h1', now + 23 * 3600_000)).state).toBe('replay');
      expect(await store.claimIdempotencyKey('m', 'k', 'h2', now + 25 * 3600_000)).toEqual({ state: 'new' });
    });

    it('releases a key without a response, and lets a stale in-progress claim be taken over', async () => {
      await open();
      const now = Date.parse('2026-11-23T09:00:00Z');
      await store.claimIdempotencyKey('m', 'k', 'h1', now);
      await store.releaseIdempotencyKey('m', 'k');
      expect(await store.claimIdempotencyKey('m', 'k', 'h1', now)).toEqual({ state: 'new' });
      expect(await store.claimIdempotencyKey('m', 'k', 'h1', now + 120_000)).toEqual({ state: 'new' });
    });

    const now = Date.parse('2026-11-23T09:00:00Z');
    const placeWithOutbox = async (id: string, types: string[]) =>
      store.placeOrder(
        'm',
        { ...order(id, id), createdAt: new Date(now).toISOString(), updatedAt: new Date(now).toISOString() },
        [],
        types.map((type) => ({ type, orderId: id, payload: { orderId: id } })),
      );

    it('leases due outbox jobs in order, the jobs of one order one after another', async () => {
      await open();
      await placeWithOutbox('o1', ['order.accepted', 'shipment.requested']);
      await placeWithOutbox('o2', ['order.accepted']);
      const first = await store.claimOutboxJobs('w1', 10, now, 30_000);
      expect(first.map((j) => [j.orderId, j.type])).toEqual([
        ['o1', 'order.accepted'],
        ['o2', 'order.accepted'],
      ]);
      expect(await store.claimOutboxJobs('w2', 10, now, 30_000)).toEqual([]);
      await store.completeOutboxJob(first[0]!.id, 'w1');
      const next = await store.claimOutboxJobs('w2', 10, now, 30_000);
      expect(next.map((j) => [j.orderId, j.type, j.payload])).toEqual([
        ['o1', 'shipment.requested', { orderId: 'o1' }],
      ]);
    });

    it('takes over the jobs of a worker whose lease expired, and gives back the jobs of a stopping worker', async () => {
      await open();
      await placeWithOutbox('o1', ['order.accepted']);
      const [job] = await store.claimOutboxJobs('dead-worker', 10, now, 30_000);
      expect(await store.claimOutboxJobs('w2', 10, now + 29_000, 30_000)).toEqual([]);
      const [taken] = await store.claimOutboxJobs('w2', 10, now + 31_000, 30_000);
      expect(taken?.id).toBe(job?.id);
      await store.completeOutboxJob(job!.id, 'dead-worker'); // the old lease no longer counts
      expect((await store.listOutboxJobs('m', 'running', 10)).map((j) => j.id)).toEqual([job?.id]);
      await store.releaseOutboxJobs('w2');
      expect((await store.claimOutboxJobs('w3', 10, now + 31_000, 30_000)).map((j) => j.id)).toEqual([job?.id]);
    });

    it('retries a failed job later, buries it when told to, and replays it from the dead letters', async () => {
      await open();
      await placeWithOutbox('o1', ['order.accepted']);
      const [job] = await store.claimOutboxJobs('w', 10, now, 30_000);
      await store.failOutboxJob(job!.id, 'w', 'receiver said 500', now + 5000);
      expect(await store.claimOutboxJobs('w', 10, now + 4000, 30_000)).toEqual([]);
      const [again] = await store.claimOutboxJobs('w', 10, now + 5000, 30_000);
      expect(again).toMatchObject({ attempts: 1, lastError: 'receiver said 500' });
      await store.failOutboxJob(again!.id, 'w', 'gave up', null);
      expect((await store.listOutboxJobs('m', 'dead', 10)).map((j) => [j.id, j.attempts])).toEqual([[job!.id, 2]]);
      expect(await store.listOutboxJobs('other', 'dead', 10)).toEqual([]);
      expect(await store.replayOutboxJob('other', job!.id, now)).toBe(false);
      expect(await store.replayOutboxJob('m', job!.id, now + 6000)).toBe(true);
      expect((await store.claimOutboxJobs('w', 10, now + 6000, 30_000)).map((j) => j.attempts)).toEqual([0]);
    });

    it("lets merchants take turns: one merchant's backlog does not crowd another out of a claim", async () => {
      await open();
      for (let i = 0; i < 5; i++) await placeWithOutbox(`a${i}`, ['order.accepted']);
      await store.placeOrder(
        'n',
        { ...order('b0', 'b0'), createdAt: new Date(now).toISOString() },
        [],
        [{ type: 'order.accepted', orderId: 'b0', payload: {} }],
      );
      const claimed = await store.claimOutboxJobs('w', 2, now, 30_000);
      expect(claimed.map((j) => j.merchantId).sort()).toEqual(['m', 'n']);
      const capped = await store.claimOutboxJobs('w', 10, now, 30_000, { perMerchant: 2, busyMerchants: ['n'] });
      expect(capped.map((j) => j.orderId)).toEqual(['a1', 'a2']);
      expect(await store.claimOutboxJobs('w', 10, now, 30_000, { busyMerchants: ['m'] })).toEqual([]);
    });

    it('lets two workers claim at once: both get work, no job twice', async () => {
      await open();
      await store.enqueueOutbox(
        'm',
        Array.from({ length: 40 }, (_, i) => ({ type: 'order.accepted', orderId: `o${i}`, payload: {} })),
        now,
      );
      const seen: number[] = [];
      const byWorker = { w1: 0, w2: 0 };
      for (let round = 0; round < 8; round++) {
        const [a, b] = await Promise.all([
          store.claimOutboxJobs('w1', 10, now, 30_000),
          store.claimOutboxJobs('w2', 10, now, 30_000),
        ]);
        byWorker.w1 += a.length;
        byWorker.w2 += b.length;
        seen.push(...a.map((j) => j.id), ...b.map((j) => j.id));
      }
      expect(byWorker.w1).toBeGreaterThan(0);
      expect(byWorker.w2).toBeGreaterThan(0);
      expect(seen).toHaveLength(40);
      expect(new Set(seen).size).toBe(40);
    });

    it('claims by type and lane key, and gives back only the jobs named', async () => {
      await open();
      await store.enqueueOutbox(
        'm',
        [
          { type: 'webhook.deliver', orderId: 'wh:e1:o1', payload: {}, laneKey: 'e1' },
          { type: 'webhook.deliver', orderId: 'wh:e1:o2', payload: {}, laneKey: 'e1' },
          { type: 'webhook.deliver', orderId: 'wh:e2:o1', payload: {}, laneKey: 'e2' },
          { type: 'shipment.requested', orderId: 'o3', payload: {} },
        ],
        now,
      );
      const hooks = await store.claimOutboxJobs('w', 10, now, 30_000, { types: ['webhook.deliver'], perLaneKey: 1 });
      expect(hooks.map((j) => [j.orderId, j.laneKey])).toEqual([
        ['wh:e1:o1', 'e1'],
        ['wh:e2:o1', 'e2'],
      ]);
      await store.releaseOutboxJobs('w', [hooks[1]!.id]);
      const rest = await store.claimOutboxJobs('w', 10, now, 30_000, {
        exceptTypes: ['webhook.deliver'],
      });
      expect(rest.map((j) => j.type)).toEqual(['shipment.requested']);
      const again = await store.claimOutboxJobs('w', 10, now, 30_000, { busyLaneKeys: ['e1'] });
      expect(again.map((j) => j.orderId)).toEqual(['wh:e2:o1']);
      expect(await store.outboxStats()).toMatchObject({ pending: 1, running: 3, dead: 0 });
    });

    it('lets the jobs after a dead one run; a pending or running one still holds them', async () => {
      await open();
      await placeWithOutbox('o1', ['order.accepted', 'shipment.requested']);
      const [first] = await store.claimOutboxJobs('w', 10, now, 30_000);
      await store.failOutboxJob(first!.id, 'w', 'try later', now + 1000);
      expect(await store.claimOutboxJobs('w', 10, now, 30_000)).toEqual([]);
      const [retried] = await store.claimOutboxJobs('w', 10, now + 1000, 30_000);
      await store.failOutboxJob(retried!.id, 'w', 'gave up', null);
      const next = await store.claimOutboxJobs('w', 10, now + 1000, 30_000);
      expect(next.map((j) => j.type)).toEqual(['shipment.requested']);
      expect(await store.outboxStats()).toMatchObject({ dead: 1, running: 1, pending: 0 });
    });

    it('watches a labelled shipment for tracking, longest waiting first, until told to stop', async () => {
      await open();
      for (const [shipmentId, at] of [
        ['s1', now + 20],
        ['s2', now],
        ['s3', now + 10],
      ] as const)
        await store.saveLabel(
          'm',
          {
            shipmentId,
            orderId: `o-${shipmentId}`,
            carrier: 'c',
            trackingNumber: `T${shipmentId}`,
            pdf: new Uint8Array(),
          },
          at,
        );
      expect((await store.dueForTracking(now + 20, 2)).map((w) => w.shipmentId)).toEqual(['s2', 's3']);
      await store.rescheduleTracking('m', 's2', now + 100);
      await store.rescheduleTracking('m', 's3', null);
      expect(await store.dueForTracking(now + 50, 10)).toEqual([
        { merchantId: 'm', orderId: 'o-s1', shipmentId: 's1' },
      ]);
      expect(await store.findByTrackingNumber('m', 'Ts1')).toEqual({ orderId: 'o-s1', shipmentId: 's1', carrier: 'c' });
    });

    it('adjusts on hand by a delta with its note, never below zero', async () => {
      await open();
      await store.seedInventory('m', [level('A', 5)]);
      const adjusted = await store.adjustInventory('m', 'paris', 'A', { onHandDelta: -2, note: 'stocktake' }, now);
      expect(adjusted).toMatchObject({ ok: true, level: { onHand: 3, reserved: 0 } });
      expect(await store.adjustInventory('m', 'paris', 'A', { onHandDelta: -4, note: 'x' }, now)).toEqual({
        ok: false,
        reason: 'below_zero',
      });
      expect(await store.adjustInventory('m', 'lyon', 'A', { onHandDelta: 1, note: 'x' }, now)).toEqual({
        ok: false,
        reason: 'not_found',
      });
      const [latest] = await store.stockMovements('m', 'A', 1);
      expect(latest).toMatchObject({ reason: 'adjust', onHandDelta: -2, note: 'stocktake' });
    });

    it('pages through orders in flight by id', async () => {
      await open();
      for (const id of ['o3', 'o1', 'o2']) await store.placeOrder('m', order(id, id), [], []);
      const first = await store.ordersInFlight({ after: null, limit: 2 });
      expect(first.map((o) => o.order.id)).toEqual(['o1', 'o2']);
      const second = await store.ordersInFlight({ after: 'o2', limit: 2 });
      expect(second.map((o) => o.order.id)).toEqual(['o3']);
    });

    it('pages through the orders created in a period by creation then id, the end excluded', async () => {
      await open();
      const at = (id: string, createdAt: string) => ({ ...order(id, id), createdAt, updatedAt: createdAt });
      await store.placeOrder('m', at('o9', '2026-11-01T08:00:00.000Z'), [], []);
      await store.placeOrder('m', at('o5', '2026-11-02T08:00:00.000Z'), [], []);
      await store.placeOrder('m', at('o2', '2026-11-02T08:00:00.000Z'), [], []);
      await store.placeOrder('m', at('o1', '2026-11-03T08:00:00.000Z'), [], []);
      await store.placeOrder('m', at('o0', '2026-11-04T00:00:00.000Z'), [], []); // the end: excluded
      await store.placeOrder('other', at('o3', '2026-11-02T09:00:00.000Z'), [], []);
      const range = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-04T00:00:00.000Z' };
      const first = await store.ordersCreatedBetween('m', range, { after: null, limit: 2 });
      expect(first.map((o) => o.id)).toEqual(['o9', 'o2']);
      const last = first.at(-1) as Order;
      const second = await store.ordersCreatedBetween('m', range, {
        after: { createdAt: last.createdAt, id: last.id },
        limit: 2,
      });
      expect(second.map((o) => o.id)).toEqual(['o5', 'o1']);
    });

    it("records an endpoint's health without undoing an edit, and never for a deleted or disabled one", async () => {
      await open();
      const endpoint = {
        id: 'we_1',
        url: 'https://a.example/',
        events: ['*'],
        description: null,
        secret: 'whsec_old',
        previousSecret: null,
        previousUntil: null,
        state: 'enabled' as const,
        disabledReason: null,
        failingSince: null,
        createdAt: '2026-11-23T09:00:00.000Z',
      };
      await store.saveWebhookEndpoint('m', endpoint);
      await store.saveWebhookEndpoint('m', { ...endpoint, secret: 'whsec_rotated', url: 'https://b.example/' });
      await store.updateEndpointHealth('m', 'we_1', { failingSince: now });
      expect(await store.getWebhookEndpoint('m', 'we_1')).toMatchObject({
        secret: 'whsec_rotated',
        url: 'https://b.example/',
        failingSince: now,
        state: 'enabled',
      });
      await store.updateEndpointHealth('m', 'we_1', { failingSince: now, disabledReason: 'gone' });
      expect(await store.getWebhookEndpoint('m', 'we_1')).toMatchObject({ state: 'disabled', disabledReason: 'gone' });
      await store.updateEndpointHealth('m', 'we_1', { failingSince: null });
      expect(await store.getWebhookEndpoint('m', 'we_1')).toMatchObject({ state: 'disabled', failingSince: now });
      await store.deleteWebhookEndpoint('m', 'we_1');
      await store.updateEndpointHealth('m', 'we_1', { failingSince: null });
      expect(await store.getWebhookEndpoint('m', 'we_1')).toBeNull();
    });

    it('keeps the first label of a shipment', async () => {
      await open();
      const first = await store.saveLabel(
        'm',
        { shipmentId: 's1', carrier: 'c', trackingNumber: 'T1', pdf: new Uint8Array([1, 2]) },
        now,
      );
      const second = await store.saveLabel(
        'm',
        { shipmentId: 's1', carrier: 'c', trackingNumber: 'T2', pdf: new Uint8Array([3]) },
        now,
      );
      expect(second).toEqual(first);
      expect(first).toEqual({ shipmentId: 's1', carrier: 'c', trackingNumber: 'T1', pdf: new Uint8Array([1, 2]) });
      expect(await store.getLabel('other', 's1')).toBeNull();
    });

    it('generates a service secret once and returns the same one afterwards', async () => {
      await open();
      const first = await store.serviceSecret('promise-token');
      expect(first).toMatch(/^[\w-]{40,}$/);
      expect(await store.serviceSecret('promise-token')).toBe(first);
      expect(await store.serviceSecret('other')).not.toBe(first);
    });

    it('keeps each delivery observation once, per merchant, and reads them back by id', async () => {
      await open();
      const observation = (postalCode: string, day: number) => ({
        service: 'home',
        warehouse: 'paris',
        country: 'FR',
        postalCode,
        dispatchedAt: Date.UTC(2026, 10, day, 15),
        deliveredAt: Date.UTC(2026, 10, day + 2, 10),
      });
      const batch = Array.from({ length: 1500 }, (_, i) => observation(String(75000 + (i % 100)), 1 + (i % 20)));
      const distinct = new Set(batch.map((o) => `${o.postalCode}|${o.dispatchedAt}`)).size;
      expect(await store.addTransitObservations('m', batch, 'import')).toBe(distinct);
      expect(await store.addTransitObservations('m', batch.slice(0, 10), 'import')).toBe(0); // a re-import
      expect(await store.addTransitObservations('other', [observation('75011', 1)], 'tracking')).toBe(1);

      const first = await store.transitObservationsAfter('m', 0, 3);
      expect(first).toHaveLength(3);
      expect(first[0]).toEqual({ ...batch[0], id: first[0]?.id, source: 'import' });
      const rest = await store.transitObservationsAfter('m', first[2]?.id ?? 0, 10_000);
      expect(rest).toHaveLength(distinct - 3);
      expect(rest.every((o, i) => i === 0 || o.id > (rest[i - 1]?.id ?? 0))).toBe(true);
      expect(await store.transitObservationsAfter('other', 0, 10)).toMatchObject([
        { postalCode: '75011', source: 'tracking' },
      ]);
    });
  });
}
