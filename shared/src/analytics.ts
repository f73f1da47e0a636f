/** Promise accuracy as the analytics endpoint shows it (CONTRACT §6 "Accuracy"). */
import { type Static, Type } from 'typebox';
import { IsoDate, Nullable } from './primitives.ts';

export const ACCURACY_GROUPINGS = ['service', 'warehouse', 'carrier', 'week', 'lane'] as const;

export const AccuracyGroup = Type.Object({
  key: Type.String({
    description:
      'the service, warehouse or carrier id, the ISO week (2026-W48) of the order, or the lane (paris→FR: warehouse→country)',
  }),
  shipments: Type.Integer({ description: 'booked shipments, cancelled ones aside' }),
  delivered: Type.Integer(),
  onTime: Type.Integer({ description: 'delivered on or before latest (the delivery date in the warehouse zone)' }),
  early: Type.Integer({ description: 'delivered before earliest' }),
  late: Type.Integer({ description: 'delivered after latest' }),
  onTimeRate: Nullable(Type.Number({ description: 'onTime / delivered; null before any delivery' })),
  meanRangeDays: Nullable(Type.Number({ description: 'mean of latest − earliest, calendar days' })),
  lateDays: Type.Object({
    p50: Nullable(Type.Integer()),
    p95: Nullable(Type.Integer({ description: 'calendar days after latest, among the late' })),
  }),
  transitDays: Type.Object({
    p50: Nullable(Type.Integer()),
    p95: Nullable(Type.Integer({ description: "calendar days from dispatch to delivery (the warehouse's zone)" })),
  }),
});

export const PromiseAccuracy = Type.Object({
  from: IsoDate,
  to: IsoDate,
  groups: Type.Array(AccuracyGroup),
});

export type AccuracyGroup = Static<typeof AccuracyGroup>;
export type PromiseAccuracy = Static<typeof PromiseAccuracy>;

const ImportCounts = {
  processed: Type.Integer(),
  imported: Type.Integer({ description: 'observations new to the store' }),
  duplicates: Type.Integer({ description: 'observations the store already had' }),
  failed: Type.Integer(),
};

/** One line of the history import's JSON-lines answer (`POST /v1/transit-history/import`). */
export const TransitImportLine = Type.Union([
  Type.Object({ type: Type.Literal('progress'), ...ImportCounts }),
  Type.Object({
    type: Type.Literal('error'),
    line: Type.Optional(Type.Integer({ description: 'the line number, a CSV header being line 1' })),
    field: Type.Optional(Type.String()),
    code: Type.String(),
    message: Type.Optional(Type.String()),
  }),
  Type.Object({
    type: Type.Literal('summary'),
    ...ImportCounts,
    aborted: Type.Optional(Type.Boolean()),
    message: Type.Optional(Type.String()),
  }),
]);
