/**
 * The merchant config file (CONTRACT §2), as one TypeBox schema: the loader validates against it, and the
 * semantic checks that JSON Schema cannot express (time zones, holiday codes, increasing rate tables …) run after.
 */
import { type Static, Type } from 'typebox';
import { ConfigId, Country, IsoDate } from './primitives.ts';
import { RETURN_METHODS, RETURN_REASONS } from './returns.ts';

const Id = ConfigId;
const LocalDate = IsoDate;
const Weekday = Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday … 7 = Sunday' });
const Weekdays = Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true });
const PostalPattern = Type.String({
  pattern: '^(\\*|[A-Za-z0-9 -]{1,16}\\*?)$',
  description: 'a prefix pattern such as "75*", an exact code, or "*"',
});
const Amount = Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'minor units' });

export const KeyConfig = Type.Object(
  {
    key: Type.Optional(Type.String({ pattern: '^(pk|sk)_(test|live)_[A-Za-z0-9_]{4,128}$' })),
    keyHash: Type.Optional(Type.String({ pattern: '^sha256:[0-9a-fA-F]{64}$', description: 'hex in either case' })),
    type: Type.Union([Type.Literal('publishable'), Type.Literal('secret')]),
    allowedOrigins: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);

/** Where a warehouse ships from, as real carriers print it on a label (CONTRACT §7). */
export const PostalAddress = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    line1: Type.String({ minLength: 1, maxLength: 100 }),
    line2: Type.Optional(Type.String({ maxLength: 100 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    postalCode: Type.String({ minLength: 1, maxLength: 16 }),
    country: Country,
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 32 })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 200, pattern: '^[^@\\s]+@[^@\\s]+$' })),
  },
  { additionalProperties: false },
);

export type PostalAddress = Static<typeof PostalAddress>;

export const WarehouseConfig = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    country: Country,
    postalCode: Type.String({ minLength: 1, maxLength: 16 }),
    timeZone: Type.String({ minLength: 1 }),
    holidays: Type.Object(
      { country: Country, region: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])) },
      { additionalProperties: false },
    ),
    closedDates: Type.Optional(Type.Array(LocalDate, { maxItems: 1000 })),
    workingDays: Weekdays,
    handlingDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 })),
    cutoffs: Type.Record(Type.String(), Type.String(), { description: 'HH:mm by carrier id, and "default"' }),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    address: Type.Optional(PostalAddress),
  },
  { additionalProperties: false },
);

export const RateConfig = Type.Object(
  { upToGrams: Type.Integer({ minimum: 1, maximum: 10_000_000 }), amount: Amount },
  { additionalProperties: false },
);

export const LaneConfig = Type.Object(
  {
    from: Type.Array(Country, { minItems: 1 }),
    to: Type.Array(Country, { minItems: 1 }),
    postalCodes: Type.Optional(Type.Array(PostalPattern, { minItems: 1 })),
    transitDays: Type.Tuple([Type.Integer({ minimum: 0, maximum: 60 }), Type.Integer({ minimum: 0, maximum: 60 })]),
    rates: Type.Array(RateConfig),
  },
  { additionalProperties: false },
);

export const SurchargeConfig = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    postalCodes: Type.Optional(Type.Array(PostalPattern, { minItems: 1 })),
    amount: Type.Optional(Amount),
    percent: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export const DeliveryType = Type.Union([Type.Literal('home'), Type.Literal('pickup_point'), Type.Literal('locker')]);

export const ServiceConfig = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    deliveryType: DeliveryType,
    lanes: Type.Array(LaneConfig, { minItems: 1 }),
    maxWeightGrams: Type.Optional(Type.Integer({ minimum: 1 })),
    maxSideCm: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    allowsDangerousGoods: Type.Optional(Type.Boolean()),
    surcharges: Type.Optional(Type.Array(SurchargeConfig)),
  },
  { additionalProperties: false },
);

/** The carrier adapters this build has (CONTRACT §7); any other name in a config stops the start. */
export const CARRIER_ADAPTERS = ['sandbox', 'karrio'] as const;

/**
 * The carriers' own tracking codes Promesse knows, by table name (CONTRACT §7): `carriers[].eventCodes` names the
 * table a carrier's events are read with, by default its adapter's.
 */
export const EVENT_CODE_TABLES = ['sandbox', 'karrio', 'laposte', 'dhl', 'dpd', 'gls', 'ups', 'mondial_relay'] as const;

/** The `karrio` adapter's settings (CONTRACT §7). */
export const KarrioSettings = Type.Object(
  {
    baseUrl: Type.String({
      pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$',
      maxLength: 500,
      description: "the Karrio API's address, without /v1 (the operator's own: no SSRF guard applies)",
    }),
    apiKey: Type.String({ minLength: 1, maxLength: 500, description: 'sent as Authorization: Token <apiKey>' }),
    webhookSecret: Type.Optional(
      Type.String({
        minLength: 16,
        maxLength: 500,
        description: "the secret of Karrio's webhook endpoint; without it Karrio's webhooks are refused",
      }),
    ),
    serviceCodes: Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: 100 }), {
      description: "Karrio's service code for each of this carrier's services, by our service id",
    }),
    carrierIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        minItems: 1,
        maxItems: 20,
        description: "the Karrio carrier connections to buy labels from (Karrio's carrier_ids)",
      }),
    ),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 120_000, description: 'per request; 20000' })),
  },
  { additionalProperties: false },
);

export type KarrioSettings = Static<typeof KarrioSettings>;

export const CarrierConfig = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    adapter: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'how labels and tracking reach the carrier (CARRIER_ADAPTERS); sandbox, the default, simulates one',
      }),
    ),
    settings: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: `the adapter's own settings; secrets as "\${ENV_NAME}", read from the environment at start`,
      }),
    ),
    eventCodes: Type.Optional(
      Type.Enum(EVENT_CODE_TABLES, {
        description: "the carrier's own event codes its pushes and tracking use; by default the adapter's",
      }),
    ),
    trackingSecret: Type.Optional(
      Type.String({
        minLength: 16,
        maxLength: 200,
        description: 'signs the carrier pushes of tracking events (HMAC-SHA256)',
      }),
    ),
    pickupDays: Weekdays,
    deliveryDays: Weekdays,
    services: Type.Array(ServiceConfig, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const ProductConfig = Type.Object(
  {
    sku: ConfigId,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    weightGrams: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    dimensionsCm: Type.Optional(
      Type.Array(Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }), { minItems: 1, maxItems: 3 }),
    ),
    dangerousGoods: Type.Optional(Type.Boolean()),
    hsCode: Type.Optional(Type.String({ pattern: '^\\d{6,10}$', description: 'the tariff number customs read' })),
    originCountry: Type.Optional(Country),
    customsValue: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100_000_000,
        description: "the value declared to customs per unit, minor units; default: the order line's unitPrice",
      }),
    ),
    components: Type.Optional(
      Type.Array(
        Type.Object(
          { sku: Type.String({ minLength: 1 }), quantity: Type.Integer({ minimum: 1, maximum: 1000 }) },
          { additionalProperties: false },
        ),
        { minItems: 1 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const IncomingConfig = Type.Object(
  { quantity: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }), expectedAt: LocalDate },
  { additionalProperties: false },
);

export const InventorySeedConfig = Type.Object(
  {
    warehouse: Type.String({ minLength: 1 }),
    sku: Type.String({ minLength: 1 }),
    onHand: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    safetyStock: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
    incoming: Type.Optional(Type.Array(IncomingConfig, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const LimitsConfig = Type.Object(
  {
    promisePerMinutePerIp: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
    writesPerMinutePerKey: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
  },
  { additionalProperties: false },
);

/** Learned delivery estimates (CONTRACT §6); every field has the default written beside it. */
export const EstimatesConfig = Type.Object(
  {
    mode: Type.Optional(Type.Enum(['learned', 'configured'], { description: 'default learned' })),
    onTimeTarget: Type.Optional(
      Type.Number({ minimum: 0.5, maximum: 0.999, description: 'share delivered by latest; default 0.95' }),
    ),
    minSamples: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100_000, description: 'deliveries a lane needs; default 30' }),
    ),
    windowDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3650, description: 'how far back deliveries count; default 365' }),
    ),
  },
  { additionalProperties: false },
);

export const ESTIMATE_DEFAULTS = { mode: 'learned', onTimeTarget: 0.95, minSamples: 30, windowDays: 365 } as const;

/**
 * Terms of trade a parcel that crosses a customs border can ship under: the Incoterms parcel carriers take
 * (Karrio's CustomsData list; DPU, new in 2020, is not among them yet).
 */
export const INCOTERMS = ['DAP', 'DDP', 'EXW', 'FCA', 'CPT', 'CIP'] as const;

/** Returns (CONTRACT §9): the merchant's policy; every field has the default written beside it. */
export const ReturnsConfig = Type.Object(
  {
    windowDays: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 3650,
        description: 'days after delivery (local dates of the shipping warehouse) a return may be asked for; 30',
      }),
    ),
    warehouse: Type.Optional(
      Type.String({ minLength: 1, description: "where returns go back to; default: the shipment's own warehouse" }),
    ),
    nonReturnableSkus: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { maxItems: 10_000, description: 'skus never taken back; none' }),
    ),
    reasons: Type.Optional(
      Type.Array(Type.Enum(RETURN_REASONS), {
        minItems: 1,
        uniqueItems: true,
        description: 'the reasons a shopper may give; all six',
      }),
    ),
    methods: Type.Optional(
      Type.Array(Type.Enum(RETURN_METHODS), { minItems: 1, uniqueItems: true, description: 'label and drop_off' }),
    ),
    autoApprove: Type.Optional(
      Type.Boolean({ description: 'approve (and buy the label for) every eligible request at once; false' }),
    ),
    carrier: Type.Optional(
      Type.String({ minLength: 1, description: "the carrier of return labels; default: the shipment's" }),
    ),
    service: Type.Optional(
      Type.String({ minLength: 1, description: "that carrier's service for return labels; default: the shipment's" }),
    ),
    labelFee: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100_000_000,
        description:
          'what a return label costs the shopper, minor units, taken off the refund; waived when the merchant is at fault (damaged, wrong_item, not_as_described); 0',
      }),
    ),
    refundShipping: Type.Optional(
      Type.Enum(['never', 'merchant_fault', 'always'], {
        description:
          "when the order's shipping is refunded, once every unit of it has come back: never, when the merchant is at fault, or always; merchant_fault",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ReturnsConfig = Static<typeof ReturnsConfig>;

/** A member of the merchant's team who signs in to the console (CONTRACT §10). */
export const UserConfig = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    passwordHash: Type.String({
      pattern: '^scrypt\\$\\d+\\$\\d+\\$\\d+\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+$',
      description: 'from `promesse hash-password`: scrypt$N$r$p$salt$hash',
    }),
    role: Type.Enum(['viewer', 'operator'], { description: 'viewers read; operators act too' }),
  },
  { additionalProperties: false },
);
export type UserConfig = Static<typeof UserConfig>;

export const ConsoleConfig = Type.Object(
  {
    sessionMinutes: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1440, description: 'signed out after this long idle; 30' }),
    ),
  },
  { additionalProperties: false },
);

/** The shop platforms orders come in from (CONTRACT §8): two push signed webhooks, PrestaShop is polled. */
export const CHANNEL_TYPES = ['shopify', 'woocommerce', 'prestashop'] as const;

/** A sales channel: a shop whose orders Promesse books (CONTRACT §8). */
export const ChannelConfig = Type.Object(
  {
    id: Id,
    type: Type.Enum(CHANNEL_TYPES),
    secret: Type.Optional(
      Type.String({
        minLength: 16,
        maxLength: 500,
        description: `shopify: the app's client secret; woocommerce: the webhook's secret. Signs the webhooks; as "\${ENV_NAME}"`,
      }),
    ),
    baseUrl: Type.Optional(
      Type.String({
        pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$',
        maxLength: 500,
        description: "prestashop: the shop's address, without /api (the operator's own: no SSRF guard applies)",
      }),
    ),
    apiKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'prestashop: a webservice key allowed GET on orders, addresses, countries, customers',
      }),
    ),
    cancelledStates: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 1_000_000 }), {
        maxItems: 20,
        description:
          "prestashop: the order states that withdraw an order (its booking is cancelled); 6 and 8, a default install's Canceled and Payment error",
      }),
    ),
    pollEverySeconds: Type.Optional(
      Type.Integer({ minimum: 10, maximum: 86_400, description: 'prestashop: how often new orders are fetched; 60' }),
    ),
    shippingOptions: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ minLength: 1, maxLength: 64 }), {
        description:
          "our option (service) id for each of the platform's shipping codes: Shopify shipping line code or title, WooCommerce method_id:instance_id or method_id, PrestaShop id_carrier",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ChannelConfig = Static<typeof ChannelConfig>;

/** Where events stream besides webhooks (CONTRACT §8). */
export const SinkConfig = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'default: the exchange' })),
    type: Type.Literal('amqp'),
    url: Type.String({
      pattern: '^amqps?://',
      maxLength: 1000,
      description: `amqp://user:password@host:5672/vhost, as "\${AMQP_URL}" when it holds a password`,
    }),
    exchange: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._:-]{1,255}$',
        description: 'a topic exchange, declared durable; promesse.events',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SinkConfig = Static<typeof SinkConfig>;

export const MerchantConfig = Type.Object(
  {
    merchant: Type.Object(
      {
        id: Id,
        name: Type.String({ minLength: 1, maxLength: 200 }),
        currency: Type.String({ pattern: '^[A-Z]{3}$' }),
        incoterm: Type.Optional(
          Type.Enum(INCOTERMS, { description: 'who pays duties on parcels leaving the EU customs union; DAP' }),
        ),
        eori: Type.Optional(
          Type.String({
            pattern: '^[A-Z]{2}[0-9A-Z]{1,15}$',
            description: "the merchant's EORI number, needed on every parcel that crosses the EU customs border",
          }),
        ),
        ioss: Type.Optional(
          Type.String({ pattern: '^IM\\d{10}$', description: 'the IOSS number, for EU imports up to 150 EUR' }),
        ),
      },
      { additionalProperties: false },
    ),
    keys: Type.Array(KeyConfig, { minItems: 1 }),
    warehouses: Type.Array(WarehouseConfig, { minItems: 1 }),
    carriers: Type.Array(CarrierConfig, { minItems: 1 }),
    products: Type.Array(ProductConfig),
    limits: Type.Optional(LimitsConfig),
    estimates: Type.Optional(EstimatesConfig),
    inventory: Type.Optional(Type.Array(InventorySeedConfig)),
    fulfilment: Type.Optional(
      Type.Object(
        {
          holdMinutes: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 10_080,
              description: "minutes after booking before a shipment's label is bought: a window for edits; 0",
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    returns: Type.Optional(ReturnsConfig),
    users: Type.Optional(Type.Array(UserConfig, { maxItems: 1000 })),
    console: Type.Optional(ConsoleConfig),
    channels: Type.Optional(Type.Array(ChannelConfig, { maxItems: 50 })),
    sinks: Type.Optional(Type.Array(SinkConfig, { maxItems: 10 })),
  },
  { additionalProperties: false },
);

export type MerchantConfig = Static<typeof MerchantConfig>;
export type EstimatesConfig = Static<typeof EstimatesConfig>;
export type WarehouseConfig = Static<typeof WarehouseConfig>;
export type CarrierConfig = Static<typeof CarrierConfig>;
export type ServiceConfig = Static<typeof ServiceConfig>;
export type LaneConfig = Static<typeof LaneConfig>;
export type SurchargeConfig = Static<typeof SurchargeConfig>;
export type ProductConfig = Static<typeof ProductConfig>;
export type IncomingConfig = Static<typeof IncomingConfig>;
export type InventorySeedConfig = Static<typeof InventorySeedConfig>;
export type DeliveryType = Static<typeof DeliveryType>;

/** A sink's id: its own, else its exchange's name. */
export const sinkId = (sink: SinkConfig): string => sink.id ?? sink.exchange ?? DEFAULT_EXCHANGE;
export const DEFAULT_EXCHANGE = 'promesse.events';
