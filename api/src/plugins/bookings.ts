/** Wires the booking and return services with the store, stock cache, promise tokens, clock and metrics they use. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { BookingService } from '../services/booking-service.ts';
import { ReturnService } from '../services/return-service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    bookings: BookingService;
    returns: ReturnService;
  }
}

export const bookingsPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate(
      'bookings',
      new BookingService({
        store: app.store,
        invalidateStock: (merchantId, sku) => app.stock.invalidate(merchantId, sku),
        verifyPromise: (token) => app.promiseTokens.verify(token),
        clock: app.clock,
        onBooked: () => app.metrics.bookings.inc(),
      }),
    );
    app.decorate(
      'returns',
      new ReturnService({
        store: app.store,
        invalidateStock: (merchantId, sku) => app.stock.invalidate(merchantId, sku),
      }),
    );
  },
  { name: 'bookings', dependencies: ['stock', 'clock', 'metrics'] },
);
