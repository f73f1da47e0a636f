/** Inventory levels (CONTRACT §4 "Inventory"), secret key only. A change shows in the next promise. */

import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../../../shared/src/errors.ts';
import { InventoryUpdate, SkuInventory, SkuLevel, type WarehouseLevel } from '../../../../shared/src/inventory.ts';
import { HttpError } from '../../http-error.ts';
import { callerOf } from '../../plugins/auth.ts';
import { DEFAULT_LIMITS, type MerchantRuntime } from '../../plugins/merchants.ts';
import type { StockLevel } from '../../promise/availability.ts';
import { dayFromIso } from '../../promise/local-date.ts';

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

export async function inventoryRoutes(app: FastifyInstance): Promise<void> {
  // Counted after authentication, per key: a merchant's bulk sync must not starve another's.
  const writeLimit: RateLimitOptions = {
    hook: 'preHandler',
    max: (request) => request.apiKey?.merchant.limits.writesPerMinutePerKey ?? DEFAULT_LIMITS.writesPerMinutePerKey,
    keyGenerator: (request) => `write|${request.apiKey?.id ?? request.ip}`,
  };

  app.get<{ Params: { sku: string } }>(
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
      const levels = await app.stock.levels(runtime.merchant.id, [product.sku]);
      const byWarehouse = new Map(levels.map((level) => [level.warehouse, level]));
      return {
        sku: product.sku,
        warehouses: runtime.merchant.warehouses.map((w) =>
          levelView(
            byWarehouse.get(w.id) ?? {
              warehouse: w.id,
              sku: product.sku,
              onHand: 0,
              reserved: 0,
              safetyStock: 0,
              incoming: [],
            },
          ),
        ),
      };
    },
  );

  app.get<{ Params: { sku: string }; Querystring: { limit?: number } }>(
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
            movements: Type.Array(
              Type.Object({
                at: Type.String(),
                warehouse: Type.String(),
                onHandDelta: Type.Integer(),
                reservedDelta: Type.Integer(),
                reason: Type.String(),
                orderId: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
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

  app.put<{ Params: { warehouse: string; sku: string }; Body: InventoryUpdate }>(
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
      const { warehouse, sku } = request.params;
      if (!runtime.merchant.warehouseById.has(warehouse))
        throw new HttpError(404, 'not_found', `No warehouse "${warehouse}".`);
      stockedProduct(runtime, sku);
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
}
