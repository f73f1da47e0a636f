/** Inventory levels (CONTRACT §4 "Inventory"), secret key only. A change shows in the next promise. */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../../../shared/src/errors.ts';
import {
  InventoryUpdate,
  SkuInventory,
  SkuLevel,
  StockMovement,
  type WarehouseLevel,
} from '../../../../shared/src/inventory.ts';
import { MAX_QUANTITY } from '../../../../shared/src/primitives.ts';
import { planReleaseByHand } from '../../booking/release-by-hand.ts';
import { HttpError, validationFailed } from '../../http-error.ts';
import type { MerchantRuntime } from '../../merchants/registry.ts';
import { callerOf } from '../../plugins/auth.ts';
import type { StockLevel } from '../../promise/availability.ts';
import { dayFromIso } from '../../promise/local-date.ts';
import { writeLimit } from '../writes.ts';

const Sku = Type.String({ minLength: 1, maxLength: 64 });
const WarehouseId = Type.String({ minLength: 1, maxLength: 64 });

function levelView(level: StockLevel): WarehouseLevel {
  return {
    warehouse: level.warehouse,
    onHand: level.onHand,
    reserved: level.reserved,
    safetyStock: level.safetyStock,
    available: level.onHand - level.reserved - level.safetyStock,
    incoming: [...level.incoming],
  };
}

function stockedProduct(runtime: MerchantRuntime, sku: string) {
  const product = runtime.merchant.products.get(sku);
  if (!product) throw new HttpError(404, 'not_found', `No product "${sku}".`);
  if (product.isBundle) {
    throw new HttpError(422, 'validation_failed', `"${sku}" is a bundle; its stock is its components' stock.`, {
      details: [{ field: 'sku', code: 'bundle_has_no_stock' }],
    });
  }
  return product;
}

/** The warehouse and sku of a level route, both known and the sku stocked (not a bundle), else 404 / 422. */
function stockedLevel(runtime: MerchantRuntime, params: { warehouse: string; sku: string }) {
  if (!runtime.merchant.warehouseById.has(params.warehouse))
    throw new HttpError(404, 'not_found', `No warehouse "${params.warehouse}".`);
  stockedProduct(runtime, params.sku);
  return params;
}

export async function inventoryRoutes(instance: FastifyInstance): Promise<void> {
  // Typed from the route schemas: params, query and body as validated, replies as their schema says.
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  /** A sku's level in every warehouse, a warehouse without one at zero. */
  const skuView = (runtime: MerchantRuntime, sku: string, levels: readonly StockLevel[]) => {
    const byWarehouse = new Map(levels.map((level) => [level.warehouse, level]));
    const none = (warehouse: string) => ({ warehouse, sku, onHand: 0, reserved: 0, safetyStock: 0, incoming: [] });
    return {
      sku,
      warehouses: runtime.merchant.warehouses.map((w) => levelView(byWarehouse.get(w.id) ?? none(w.id))),
    };
  };

  app.get(
    '/v1/inventory',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Stock of every stocked sku (bundles aside) in every warehouse',
        tags: ['inventory'],
        security: [{ secretKey: [] }],
        response: { 200: Type.Object({ data: Type.Array(SkuInventory) }), '4xx': ApiError },
      },
    },
    async (request) => {
      const runtime = callerOf(request).merchant;
      const skus = [...runtime.merchant.products.values()].filter((p) => !p.isBundle).map((p) => p.sku);
      const bySku = new Map<string, StockLevel[]>();
      for (const level of await app.stock.levels(runtime.merchant.id, skus))
        bySku.set(level.sku, [...(bySku.get(level.sku) ?? []), level]);
      return { data: skus.map((sku) => skuView(runtime, sku, bySku.get(sku) ?? [])) };
    },
  );

  app.get(
    '/v1/inventory/:sku',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'Stock of one sku in every warehouse',
        tags: ['inventory'],
        security: [{ secretKey: [] }],
        params: Type.Object({ sku: Sku }),
        response: { 200: SkuInventory, '4xx': ApiError },
      },
    },
    async (request) => {
      const runtime = callerOf(request).merchant;
      const product = stockedProduct(runtime, request.params.sku);
      return skuView(runtime, product.sku, await app.stock.levels(runtime.merchant.id, [product.sku]));
    },
  );

  app.get(
    '/v1/inventory/:sku/movements',
    {
      onRequest: app.requireSecretKey,
      schema: {
        summary: 'The stock ledger of one sku: every movement, newest first, with its reason and order',
        tags: ['inventory'],
        security: [{ secretKey: [] }],
        params: Type.Object({ sku: Sku }),
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
        response: {
          200: Type.Object({
            sku: Type.String(),
            movements: Type.Array(Type.Omit(StockMovement, ['sku'])),
          }),
          '4xx': ApiError,
        },
      },
    },
    async (request) => {
      const runtime = callerOf(request).merchant;
      const product = stockedProduct(runtime, request.params.sku);
      return {
        sku: product.sku,
        movements: await app.store.stockMovements(runtime.merchant.id, product.sku, request.query.limit ?? 100),
      };
    },
  );

  app.put(
    '/v1/inventory/:warehouse/:sku',
    {
      onRequest: app.requireSecretKey,
      config: { rateLimit: writeLimit },
      schema: {
        summary: 'Set on-hand, safety stock or incoming stock of one sku in one warehouse',
        description: 'Given fields replace the stored ones; omitted fields stay. `incoming` is replaced as a whole.',
        tags: ['inventory'],
        security: [{ secretKey: [] }],
        params: Type.Object({ warehouse: WarehouseId, sku: Sku }),
        body: InventoryUpdate,
        response: { 200: SkuLevel, '4xx': ApiError },
      },
    },
    async (request) => {
      const runtime = callerOf(request).merchant;
      const { warehouse, sku } = stockedLevel(runtime, request.params);
      const bad = (request.body.incoming ?? []).findIndex((entry) => dayFromIso(entry.expectedAt) === null);
      if (bad >= 0) {
        throw new HttpError(422, 'validation_failed', 'incoming: expectedAt must be a calendar date.', {
          details: [{ field: `incoming[${bad}].expectedAt`, code: 'invalid_date' }],
        });
      }
      const level = await app.stock.update(runtime.merchant.id, warehouse, sku, request.body);
      return { sku, ...levelView(level) };
    },
  );

  app.post(
    '/v1/inventory/:warehouse/:sku/adjustments',
    {
      onRequest: app.requireSecretKey,
      config: { rateLimit: writeLimit },
      schema: {
        summary: 'Correct on hand, or release an order’s reservation, by hand, with the reason kept in the ledger',
        description:
          'For what no booking, cancellation or scan explains. `onHandDelta` (a stocktake, breakage) must not take ' +
          'on hand below zero. A negative `reservedDelta` releases units reserved by `orderId` (required) in this ' +
          'warehouse, from its shipments still there, so the order never releases or ships them again. Ledger ' +
          'lines have reason `adjust` and the note.',
        tags: ['inventory'],
        security: [{ secretKey: [] }],
        params: Type.Object({ warehouse: WarehouseId, sku: Sku }),
        body: Type.Object(
          {
            onHandDelta: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
            reservedDelta: Type.Optional(Type.Integer({ minimum: -MAX_QUANTITY, maximum: 0 })),
            note: Type.String({ minLength: 1, maxLength: 500, description: 'why: kept in the ledger' }),
            orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'whose reservation' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: SkuLevel, '4xx': ApiError },
      },
    },
    async (request) => {
      const runtime = callerOf(request).merchant;
      const { warehouse, sku } = stockedLevel(runtime, request.params);
      const merchantId = runtime.merchant.id;
      const { onHandDelta = 0, reservedDelta = 0, note, orderId } = request.body;
      if (onHandDelta === 0 && reservedDelta === 0)
        throw validationFailed('onHandDelta', 'nothing_to_adjust', 'Give a delta.');
      if (reservedDelta < 0) {
        if (!orderId)
          throw validationFailed('orderId', 'required', 'A reservation is released from the order that holds it.');
        const actor = `api_key:${callerOf(request).id}`;
        await releaseByHand(app, merchantId, orderId, { warehouse, sku, quantity: -reservedDelta, note, actor });
      }
      if (onHandDelta !== 0) {
        const result = await app.store.adjustInventory(merchantId, warehouse, sku, { onHandDelta, note }, app.clock());
        if (!result.ok && result.reason === 'not_found')
          throw new HttpError(404, 'not_found', `No stock of "${sku}" at "${warehouse}" yet: set it with PUT first.`);
        if (!result.ok) throw validationFailed('onHandDelta', 'below_zero', 'On hand cannot go below zero.');
      }
      app.stock.invalidate(merchantId, sku);
      const [level] = await app.store
        .inventoryLevels(merchantId, [sku])
        .then((all) => all.filter((l) => l.warehouse === warehouse));
      if (!level) throw new HttpError(404, 'not_found', `No stock of "${sku}" at "${warehouse}".`);
      return { sku, ...levelView(level) };
    },
  );
}

/** Releases units of an order's reservation by hand, in the order's own transaction; refusals as 404 / 422. */
async function releaseByHand(
  app: FastifyInstance,
  merchantId: string,
  orderId: string,
  release: { warehouse: string; sku: string; quantity: number; note: string; actor: string },
): Promise<void> {
  const at = new Date(app.clock()).toISOString();
  const result = await app.store.changeOrder<{ reserved: number }>(merchantId, orderId, (order) => {
    const plan = planReleaseByHand(order, release);
    if (!plan.ok) return { ok: false, error: { reserved: plan.reserved } };
    const { quantity, sku, warehouse, note, actor } = release;
    return {
      ok: true,
      order: {
        ...order,
        shipments: plan.shipments,
        updatedAt: at,
        timeline: [
          ...order.timeline,
          {
            at,
            type: 'order.reservation_released',
            actor,
            message: `${quantity} ${sku} at ${warehouse} released by hand: ${note}`,
          },
        ],
      },
      releases: plan.releases.map((r) => ({ ...r, note })),
    };
  });
  if (!result) throw new HttpError(404, 'not_found', `No order ${orderId}.`);
  if (!result.ok) {
    const held = `The order holds ${result.error.reserved} ${release.sku} reserved here.`;
    throw validationFailed('reservedDelta', 'more_than_reserved', held);
  }
}
