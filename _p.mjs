// api/src/app.ts
import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';

// api/src/http-error.ts
var HttpError = class extends Error {
  statusCode;
  code;
  details;
  headers;
  constructor(statusCode, code, message, options = {}) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
};
function invalidField(field, code, message) {
  return new HttpError(400, 'invalid_request', message, { details: [{ field, code }] });
}

// api/src/plugins/auth.ts
import fp from 'fastify-plugin';

function callerOf(request) {
  if (!request.apiKey) throw new HttpError(401, 'unauthorized', 'No API key was presented.');
  return request.apiKey;
}
function bearerToken(request) {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}
var authPlugin = fp(
  async (app2) => {
    app2.decorateRequest('apiKey', null);
    app2.decorateRequest('presentedKey', null);
    app2.decorate('requireSecretKey', async (request) => {
      const token = bearerToken(request);
      if (!token) {
        throw new HttpError(401, 'unauthorized', 'Send your secret key as "Authorization: Bearer sk_\u2026".');
      }
      const key = app2.merchants.authenticate(token);
      if (!key) throw new HttpError(401, 'unauthorized', 'Unknown API key.');
      if (key.type !== 'secret') {
        throw new HttpError(403, 'forbidden', 'Publishable keys can only read promises; use a secret key.');
      }
      request.apiKey = key;
      request.presentedKey = token;
    });
  },
  { name: 'auth', dependencies: ['merchants'] },
);

// api/src/promise-token.ts
import { createHmac, timingSafeEqual } from 'node:crypto';
// api/src/plugins/clock.ts
import fp2 from 'fastify-plugin';

var PREFIX = 'prm_';
var PromiseTokens = class {
  #secret;
  constructor(secret) {
    this.#secret = Buffer.from(secret, 'utf8');
  }
  #mac(payload) {
    return createHmac('sha256', this.#secret).update(payload).digest();
  }
  sign(claims) {
    const payload = Buffer.from(
      JSON.stringify([claims.merchant, claims.lines, claims.destination, claims.options, claims.expiresAt]),
    ).toString('base64url');
    return `${PREFIX}${payload}.${this.#mac(payload).toString('base64url')}`;
  }
  /** The claims of an authentic token, or null for anything forged, altered or malformed (expiry is not checked). */
  verify(token) {
    if (!token.startsWith(PREFIX)) return null;
    const [payload, signature, extra] = token.slice(PREFIX.length).split('.');
    if (!payload || !signature || extra !== void 0) return null;
    const expected = this.#mac(payload);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const [merchant, lines, destination, options, expiresAt] = JSON.parse(
        Buffer.from(payload, 'base64url').toString(),
      );
      return { merchant, lines, destination, options, expiresAt };
    } catch {
      return null;
    }
  }
};

// api/src/plugins/clock.ts
var clockPlugin = fp2(
  async (app2, { clock, secret }) => {
    app2.decorate('clock', clock);
    app2.decorate('promiseTokens', new PromiseTokens(secret ?? (await app2.store.serviceSecret('promise-token'))));
  },
  { name: 'clock', dependencies: ['stock'] },
);

// api/src/plugins/cors.ts
import cors from '@fastify/cors';
import fp3 from 'fastify-plugin';

function allowedOrigin(app2, request) {
  const path = request.url.split('?')[0] ?? '';
  if (path.startsWith('/widget/') || path.startsWith('/demo/')) return '*';
  if (path !== '/v1/promise') return false;
  const key = request.query.key;
  const found = typeof key === 'string' ? app2.merchants.authenticate(key) : void 0;
  if (found?.type !== 'publishable') return false;
  return found.allowedOrigins.includes('*') ? '*' : [...found.allowedOrigins];
}
var corsPlugin = fp3(
  async (app2) => {
    await app2.register(cors, {
      hook: 'onRequest',
      delegator: (request, callback) => {
        callback(null, {
          origin: allowedOrigin(app2, request),
          methods: ['GET', 'HEAD'],
          maxAge: 600,
          strictPreflight: false,
        });
      },
    });
  },
  { name: 'cors', dependencies: ['merchants'] },
);

// api/src/plugins/errors.ts
import fp4 from 'fastify-plugin';

var DETAIL_CODES = {
  required: 'required',
  type: 'invalid_type',
  pattern: 'invalid_format',
  format: 'invalid_format',
  minimum: 'too_small',
  exclusiveMinimum: 'too_small',
  maximum: 'too_large',
  minLength: 'too_short',
  maxLength: 'too_long',
  minItems: 'too_few',
  maxItems: 'too_many',
  additionalProperties: 'unknown_field',
  enum: 'invalid_value',
  const: 'invalid_value',
  anyOf: 'invalid_value',
};
function validationDetails(error) {
  return (error.validation ?? []).map((issue) => {
    const params = issue.params;
    const path = issue.instancePath.split('/').filter(Boolean).join('.');
    const missing = typeof params.missingProperty === 'string' ? params.missingProperty : void 0;
    const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : void 0;
    const field = [path, missing ?? extra].filter(Boolean).join('.') || (error.validationContext ?? 'request');
    return { field, code: DETAIL_CODES[issue.keyword] ?? 'invalid' };
  });
}
var CLIENT_ERRORS = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_request' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_request' },
};
var errorsPlugin = fp4(
  async (app2) => {
    app2.setErrorHandler(async (error, request, reply) => {
      let status;
      let body;
      if (error instanceof HttpError) {
        status = error.statusCode;
        body = { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
        reply.headers(error.headers);
      } else if (error.validation) {
        status = 400;
        const details = validationDetails(error);
        const fields = [...new Set(details.map((d) => d.field))].join(', ');
        body = { code: 'invalid_request', message: `Invalid ${fields}.`, details };
      } else if (error.statusCode === 429) {
        status = 429;
        body = { code: 'rate_limited', message: error.message };
      } else if (error.code && CLIENT_ERRORS[error.code]) {
        const known = CLIENT_ERRORS[error.code];
        status = known.status;
        body = { code: known.code, message: error.message };
      } else if (
        error instanceof SyntaxError ||
        (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      ) {
        status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
        body = { code: 'invalid_request', message: error.message };
      } else {
        request.log.error({ err: error }, 'unexpected error');
        status = 500;
        body = { code: 'internal_error', message: 'Something went wrong on our side; it has been logged.' };
      }
      return reply.status(status).send(body);
    });
    app2.setNotFoundHandler(async (request, reply) =>
      reply.status(404).send({
        code: 'not_found',
        message: `No route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}.`,
      }),
    );
  },
  { name: 'errors' },
);

// api/src/plugins/merchants.ts
import { createHash } from 'node:crypto';
// api/src/promise/holidays.ts
import Holidays from 'date-holidays';
import fp5 from 'fastify-plugin';
// api/src/promise/compute-promise.ts
// api/src/promise/calendar.ts
import { LRUCache, LRUCache as LRUCache2, LRUCache as LRUCache5 } from 'lru-cache';

// api/src/promise/local-date.ts
var MS_PER_DAY = 864e5;
function dayFromIso(iso) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const date = Number(iso.slice(8, 10));
  const ms = Date.UTC(year, month - 1, date);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return null;
  return ms / MS_PER_DAY;
}
var isoDays = /* @__PURE__ */ new Map();
function isoFromDay(day) {
  let iso = isoDays.get(day);
  if (iso === void 0) {
    if (isoDays.size > 1e4) isoDays.clear();
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoDays.set(day, iso);
  }
  return iso;
}
function isoWeekday(day) {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}
function yearOfDay(day) {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}
function splitWallClock(wallMs) {
  const day = Math.floor(wallMs / MS_PER_DAY);
  return { day, minutes: Math.floor((wallMs - day * MS_PER_DAY) / 6e4) };
}

// api/src/promise/holidays.ts
var calendars = /* @__PURE__ */ new Map();
var yearly = new LRUCache({ max: 2e3 });
function calendarFor(country, region) {
  const key = `${country}|${region ?? ''}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = region ? new Holidays(country, region) : new Holidays(country);
    calendars.set(key, calendar);
  }
  return calendar;
}
function publicHolidays(country, region, year) {
  const key = `${country}|${region ?? ''}|${year}`;
  let days = yearly.get(key);
  if (!days) {
    const set = /* @__PURE__ */ new Set();
    for (const holiday of calendarFor(country, region).getHolidays(year) ?? []) {
      if (holiday.type !== 'public') continue;
      const day = dayFromIso(holiday.date.slice(0, 10));
      if (day !== null) set.add(day);
    }
    days = set;
    yearly.set(key, days);
  }
  return days;
}
function holidayCodeProblem(country, region) {
  const countries2 = new Holidays().getCountries('en');
  if (!countries2[country]) return `unknown holiday country "${country}"`;
  if (region) {
    const regions = new Holidays().getStates(country, 'en') ?? {};
    if (!regions[region]) return `unknown holiday region "${region}" for ${country}`;
  }
  return null;
}

// api/src/promise/calendar.ts
var MAX_CALENDAR_SCAN_DAYS = 400;
var BusinessCalendar = class {
  #warehouseDays = new LRUCache2({ max: 5e4 });
  #deliveryDays = new LRUCache2({ max: 5e4 });
  /** A date in the warehouse's working days, not a public holiday of its country/region, not a closed date. */
  isWarehouseDay(warehouse, day) {
    const key = `${warehouse.id}|${day}`;
    let open = this.#warehouseDays.get(key);
    if (open === void 0) {
      open =
        warehouse.workingDays[isoWeekday(day)] === true &&
        !warehouse.closedDates.has(day) &&
        !publicHolidays(warehouse.holidayCountry, warehouse.holidayRegion, yearOfDay(day)).has(day);
      this.#warehouseDays.set(key, open);
    }
    return open;
  }
  /** A warehouse day on which the carrier picks up. */
  isPickupDay(warehouse, carrier, day) {
    return carrier.pickupDays[isoWeekday(day)] === true && this.isWarehouseDay(warehouse, day);
  }
  /** A date in the carrier's delivery days that is not a public holiday of the destination country. */
  isDeliveryDay(carrier, country, day) {
    const key = `${carrier.id}|${country}|${day}`;
    let open = this.#deliveryDays.get(key);
    if (open === void 0) {
      open = carrier.deliveryDays[isoWeekday(day)] === true && !publicHolidays(country, null, yearOfDay(day)).has(day);
      this.#deliveryDays.set(key, open);
    }
    return open;
  }
  /** The first warehouse day on or after `day`, or null when none comes within the scan limit. */
  warehouseDayOnOrAfter(warehouse, day) {
    for (let d = day; d < day + MAX_CALENDAR_SCAN_DAYS; d++) if (this.isWarehouseDay(warehouse, d)) return d;
    return null;
  }
  /** `count` warehouse days after `day` (0 gives `day`). */
  addWarehouseDays(warehouse, day, count) {
    let d = day;
    for (let i = 0; i < count && d !== null; i++) d = this.warehouseDayOnOrAfter(warehouse, d + 1);
    return d;
  }
  /** The first pickup day on or after `day`. */
  pickupDayOnOrAfter(warehouse, carrier, day) {
    for (let d = day; d < day + MAX_CALENDAR_SCAN_DAYS; d++) if (this.isPickupDay(warehouse, carrier, d)) return d;
    return null;
  }
  /** The `count`-th delivery day after `day` (0 gives `day`). */
  addDeliveryDays(carrier, country, day, count) {
    let d = day;
    for (let found = 0; found < count; ) {
      d++;
      if (d > day + MAX_CALENDAR_SCAN_DAYS) return null;
      if (this.isDeliveryDay(carrier, country, d)) found++;
    }
    return d;
  }
};

// api/src/promise/zone.ts
import { formatInTimeZone } from 'date-fns-tz';
import { LRUCache as LRUCache3 } from 'lru-cache';

var MINUTE = 6e4;
var offsets = new LRUCache3({ max: 2e4 });
var instants = new LRUCache3({ max: 2e4 });
function isKnownTimeZone(timeZone) {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
function offsetAt(timeZone, instant) {
  const minute = Math.floor(instant / MINUTE) * MINUTE;
  const key = `${timeZone}|${minute}`;
  let offset = offsets.get(key);
  if (offset === void 0) {
    const text = formatInTimeZone(minute, timeZone, 'xxx');
    const sign = text.startsWith('-') ? -1 : 1;
    offset = sign * (Number(text.slice(1, 3)) * 60 + Number(text.slice(4, 6))) * MINUTE;
    offsets.set(key, offset);
  }
  return offset;
}
function localDateTime(instant, timeZone) {
  return splitWallClock(instant + offsetAt(timeZone, instant));
}
function zonedInstant(day, time, timeZone) {
  const key = `${timeZone}|${day}|${time}`;
  const cached = instants.get(key);
  if (cached !== void 0) return cached;
  const wall = day * MS_PER_DAY + (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))) * MINUTE;
  const before = offsetAt(timeZone, wall - 12 * 60 * MINUTE);
  const after = offsetAt(timeZone, wall + 12 * 60 * MINUTE);
  const valid = [wall - before, wall - after].filter((candidate) => offsetAt(timeZone, candidate) === wall - candidate);
  let instant;
  if (valid.length > 0) {
    instant = Math.min(...valid);
  } else {
    let low = wall - after;
    let high = wall - before;
    while (high - low > MINUTE) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
      if (offsetAt(timeZone, middle) === after) high = middle;
      else low = middle;
    }
    instant = high;
  }
  instants.set(key, instant);
  return instant;
}

// api/src/promise/estimate.ts
function cutoffTime(warehouse, carrier) {
  return warehouse.cutoffs[carrier.id] ?? warehouse.defaultCutoff;
}
function orderWindow(now, warehouse, carrier, calendar) {
  const today = localDateTime(now, warehouse.timeZone).day;
  const cutoff = zonedInstant(today, cutoffTime(warehouse, carrier), warehouse.timeZone);
  return { today, cutoff, todayCounts: now < cutoff && calendar.isWarehouseDay(warehouse, today) };
}
function scheduleShipment(input, window, calendar) {
  const { warehouse, carrier, country, transitDays, readyFrom } = input;
  const { today, cutoff, todayCounts } = window;
  const dispatchFrom = (firstDay) => {
    let start = firstDay;
    if (start !== null && readyFrom !== null && readyFrom > start)
      start = calendar.warehouseDayOnOrAfter(warehouse, readyFrom);
    if (start === null) return null;
    const prepared = calendar.addWarehouseDays(warehouse, start, warehouse.handlingDays);
    return prepared === null ? null : calendar.pickupDayOnOrAfter(warehouse, carrier, prepared);
  };
  const nextDay = calendar.warehouseDayOnOrAfter(warehouse, today + 1);
  const dispatch = dispatchFrom(todayCounts ? today : nextDay);
  if (dispatch === null) return null;
  const earliest = calendar.addDeliveryDays(carrier, country, dispatch, transitDays[0]);
  const latest = calendar.addDeliveryDays(carrier, country, dispatch, transitDays[1]);
  if (earliest === null || latest === null) return null;
  let cutoffAt = null;
  if (todayCounts) {
    const dispatchIfLate = dispatchFrom(nextDay);
    if (dispatchIfLate === null || dispatchIfLate > dispatch) cutoffAt = cutoff;
  }
  return { dispatch, earliest, latest, cutoffAt };
}

// api/src/promise/merchant.ts
function normalizePostalCode(code) {
  return code.toUpperCase().replace(/\s+/g, '');
}
function weekdayMask(days) {
  const mask = new Array(8).fill(false);
  for (const day of days) mask[day] = true;
  return mask;
}
function compileMerchant(config) {
  const warehouses = config.warehouses.map((w, order) => {
    const { default: defaultCutoff = '23:59', ...cutoffs } = w.cutoffs;
    return {
      id: w.id,
      name: w.name,
      country: w.country,
      timeZone: w.timeZone,
      holidayCountry: w.holidays.country,
      holidayRegion: w.holidays.region ?? null,
      closedDates: new Set((w.closedDates ?? []).map((d) => dayFromIso(d) ?? Number.NaN)),
      workingDays: weekdayMask(w.workingDays),
      handlingDays: w.handlingDays ?? 0,
      defaultCutoff,
      cutoffs,
      priority: w.priority ?? 1e6,
      order,
    };
  });
  const carriers = [];
  const services = [];
  for (const c of config.carriers) {
    const carrier = {
      id: c.id,
      name: c.name,
      adapter: c.adapter ?? 'sandbox',
      pickupDays: weekdayMask(c.pickupDays),
      deliveryDays: weekdayMask(c.deliveryDays),
      services: [],
    };
    for (const s of c.services) {
      const service = {
        id: s.id,
        name: s.name,
        deliveryType: s.deliveryType,
        carrier,
        lanes: s.lanes.map((lane) => ({
          from: new Set(lane.from),
          to: new Set(lane.to),
          postalCodes: (lane.postalCodes ?? ['*']).map(normalizePostalCode),
          transitDays: [lane.transitDays[0], lane.transitDays[1]],
          rates: lane.rates,
        })),
        maxWeightGrams: s.maxWeightGrams ?? Number.POSITIVE_INFINITY,
        maxSideCm: s.maxSideCm ?? Number.POSITIVE_INFINITY,
        allowsDangerousGoods: s.allowsDangerousGoods ?? false,
        surcharges: (s.surcharges ?? []).map((x) => ({
          name: x.name,
          postalCodes: x.postalCodes ? x.postalCodes.map(normalizePostalCode) : null,
          amount: x.amount ?? 0,
          milliPercent: Math.round((x.percent ?? 0) * 1e3),
        })),
      };
      carrier.services.push(service);
      services.push(service);
    }
    carriers.push(carrier);
  }
  const configured = new Map(config.products.map((p) => [p.sku, p]));
  const products = /* @__PURE__ */ new Map();
  for (const p of config.products) {
    const parts = (p.components ?? []).map((c) => ({ part: configured.get(c.sku), quantity: c.quantity }));
    const partWeight = parts.reduce((sum, { part, quantity }) => sum + (part?.weightGrams ?? 0) * quantity, 0);
    const partSide = Math.max(0, ...parts.map(({ part }) => Math.max(0, ...(part?.dimensionsCm ?? []))));
    products.set(p.sku, {
      sku: p.sku,
      name: p.name,
      weightGrams: p.weightGrams ?? partWeight,
      longestSideCm: p.dimensionsCm ? Math.max(...p.dimensionsCm) : partSide,
      dangerousGoods: (p.dangerousGoods ?? false) || parts.some(({ part }) => part?.dangerousGoods === true),
      stockUnits: p.components
        ? p.components.map((c) => ({ sku: c.sku, quantity: c.quantity }))
        : [{ sku: p.sku, quantity: 1 }],
      isBundle: p.components !== void 0,
    });
  }
  const warehousesByPriority = [...warehouses].sort((a, b) => a.priority - b.priority || a.order - b.order);
  return {
    id: config.merchant.id,
    name: config.merchant.name,
    currency: config.merchant.currency,
    warehouses,
    warehousesByPriority,
    carriers,
    services,
    products,
    warehouseById: new Map(warehouses.map((w) => [w.id, w])),
  };
}

// api/src/promise/rating.ts
import { LRUCache as LRUCache4 } from 'lru-cache';

function postalMatchLength(pattern, postalCode) {
  if (pattern === '*') return 0;
  if (pattern.endsWith('*')) return postalCode.startsWith(pattern.slice(0, -1)) ? pattern.length : -1;
  return postalCode === pattern ? pattern.length + 1 : -1;
}
function bestPostalMatch(patterns, postalCode) {
  let best = -1;
  for (const pattern of patterns) best = Math.max(best, postalMatchLength(pattern, postalCode));
  return best;
}
function findLane(service, origin, country, postalCode) {
  let found = null;
  let foundLength = -1;
  for (const lane of service.lanes) {
    if (!lane.from.has(origin) || !lane.to.has(country)) continue;
    const length = bestPostalMatch(lane.postalCodes, postalCode);
    if (length > foundLength) {
      found = lane;
      foundLength = length;
    }
  }
  return found;
}
var LaneIndex = class {
  #merchant;
  #lanes = new LRUCache4({ max: 2e4 });
  constructor(merchant) {
    this.#merchant = merchant;
  }
  lanes(origin, country, postalCode) {
    const key = `${origin}|${country}|${postalCode}`;
    let lanes = this.#lanes.get(key);
    if (!lanes) {
      lanes = this.#merchant.services.map((service) => findLane(service, origin, country, postalCode));
      this.#lanes.set(key, lanes);
    }
    return lanes;
  }
  /** Whether any service carries parcels from this origin to the destination. */
  served(origin, country, postalCode) {
    return this.lanes(origin, country, postalCode).some((lane) => lane !== null);
  }
};
function fits(service, parcel) {
  return (
    parcel.weightGrams <= service.maxWeightGrams &&
    parcel.longestSideCm <= service.maxSideCm &&
    (!parcel.dangerousGoods || service.allowsDangerousGoods)
  );
}
function shipmentPrice(service, lane, weightGrams, postalCode) {
  const rate = lane.rates.find((band) => band.upToGrams >= weightGrams);
  if (!rate) return null;
  let sum = rate.amount;
  let milliPercent = 0;
  for (const surcharge of service.surcharges) {
    if (surcharge.postalCodes && bestPostalMatch(surcharge.postalCodes, postalCode) < 0) continue;
    sum += surcharge.amount;
    milliPercent += surcharge.milliPercent;
  }
  return Math.floor((2 * sum * (1e5 + milliPercent) + 1e5) / 2e5);
}

// api/src/promise/availability.ts
var IN_STOCK = Number.NEGATIVE_INFINITY;
function stockPosition(level) {
  return {
    available: level.onHand - level.reserved - level.safetyStock,
    incoming: level.incoming
      .map((entry) => ({ quantity: entry.quantity, day: dayFromIso(entry.expectedAt) ?? Number.POSITIVE_INFINITY }))
      .filter((entry) => Number.isFinite(entry.day))
      .sort((a, b) => a.day - b.day),
  };
}
function stockViewOf(levels) {
  const bySku = /* @__PURE__ */ new Map();
  for (const level of levels) {
    const byWarehouse = bySku.get(level.sku) ?? /* @__PURE__ */ new Map();
    bySku.set(level.sku, byWarehouse);
    byWarehouse.set(level.warehouse, stockPosition(level));
  }
  return (sku) => bySku.get(sku);
}
function coverage(position, quantity) {
  if (quantity <= 0) return IN_STOCK;
  if (!position) return null;
  let total = position.available;
  if (total >= quantity) return IN_STOCK;
  for (const entry of position.incoming) {
    total += entry.quantity;
    if (total >= quantity) return entry.day;
  }
  return null;
}

// api/src/promise/sourcing.ts
function lineCoverage(stock, warehouse, line, committed) {
  let when = IN_STOCK;
  for (const unit of line.product?.stockUnits ?? []) {
    const need = (committed.get(unit.sku) ?? 0) + unit.quantity * line.quantity;
    const covered = coverage(stock(unit.sku)?.get(warehouse.id), need);
    if (covered === null) return null;
    when = Math.max(when, covered);
  }
  return when;
}
function commit(committed, line) {
  for (const unit of line.product?.stockUnits ?? []) {
    committed.set(unit.sku, (committed.get(unit.sku) ?? 0) + unit.quantity * line.quantity);
  }
}
function servableFromStock(stock, warehouse, lines, candidates, committed) {
  const trial = new Map(committed);
  const served = [];
  for (const index of candidates) {
    const line = lines[index];
    if (lineCoverage(stock, warehouse, line, trial) === IN_STOCK) {
      commit(trial, line);
      served.push(index);
    }
  }
  return served;
}
function sourceLines(lines, { merchant, stock, served }) {
  const sources = lines.map((line) => (line.product ? void 0 : { warehouse: null, reason: 'unknown_sku' }));
  const serving = merchant.warehousesByPriority.filter(served);
  const commitments = new Map(serving.map((w) => [w, /* @__PURE__ */ new Map()]));
  const assign = (index, warehouse, availableFrom) => {
    sources[index] = { warehouse, availableFrom };
    commit(commitments.get(warehouse), lines[index]);
  };
  let remaining = lines.flatMap((_, index) => (sources[index] ? [] : [index]));
  for (const warehouse of serving) {
    if (remaining.length === 0) break;
    const lineIndexes = servableFromStock(stock, warehouse, lines, remaining, /* @__PURE__ */ new Map());
    if (lineIndexes.length === remaining.length) {
      for (const index of lineIndexes) assign(index, warehouse, null);
      remaining = [];
    }
  }
  while (remaining.length > 0) {
    let best = null;
    for (const warehouse of serving) {
      const lineIndexes = servableFromStock(stock, warehouse, lines, remaining, commitments.get(warehouse));
      if (lineIndexes.length > (best?.lineIndexes.length ?? 0)) best = { warehouse, lineIndexes };
    }
    if (!best) break;
    for (const index of best.lineIndexes) assign(index, best.warehouse, null);
    remaining = remaining.filter((index) => !best.lineIndexes.includes(index));
  }
  for (const index of remaining) {
    const line = lines[index];
    let best = null;
    for (const warehouse of serving) {
      const day = lineCoverage(stock, warehouse, line, commitments.get(warehouse));
      if (day !== null && (best === null || day < best.day)) best = { warehouse, day };
    }
    if (best) assign(index, best.warehouse, best.day === IN_STOCK ? null : best.day);
  }
  return lines.map((line, index) => {
    const source = sources[index];
    if (source) return source;
    const holders = merchant.warehouses.filter((w) => lineCoverage(stock, w, line, /* @__PURE__ */ new Map()) !== null);
    const reason = holders.length > 0 && !holders.some(served) ? 'no_service' : 'out_of_stock';
    return { warehouse: null, reason };
  });
}

// api/src/promise/compute-promise.ts
function merchantCaches(merchant) {
  return { calendar: new BusinessCalendar(), lanes: new LaneIndex(merchant), schedules: new LRUCache5({ max: 2e4 }) };
}
function mergeLines(lines) {
  const merged = /* @__PURE__ */ new Map();
  for (const line of lines) merged.set(line.sku, (merged.get(line.sku) ?? 0) + line.quantity);
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}
function planShipments(lines, warehouses, readyFrom) {
  const byWarehouse = /* @__PURE__ */ new Map();
  lines.forEach((line, index) => {
    const warehouse = warehouses[index];
    const product = line.product;
    if (!product) return;
    let shipment = byWarehouse.get(warehouse);
    if (!shipment) {
      shipment = {
        warehouse,
        lines: [],
        parcel: { weightGrams: 0, longestSideCm: 0, dangerousGoods: false },
        readyFrom: null,
      };
      byWarehouse.set(warehouse, shipment);
    }
    shipment.lines.push(line);
    shipment.parcel.weightGrams += product.weightGrams * line.quantity;
    shipment.parcel.longestSideCm = Math.max(shipment.parcel.longestSideCm, product.longestSideCm);
    shipment.parcel.dangerousGoods ||= product.dangerousGoods;
    const ready = readyFrom[index] ?? null;
    if (ready !== null && (shipment.readyFrom === null || ready > shipment.readyFrom)) shipment.readyFrom = ready;
  });
  return [...byWarehouse.values()].sort(
    (a, b) => a.warehouse.priority - b.warehouse.priority || a.warehouse.order - b.warehouse.order,
  );
}
function scheduleText(schedule) {
  if (!schedule) return null;
  return {
    dispatchDate: isoFromDay(schedule.dispatch),
    cutoffAt: schedule.cutoffAt === null ? null : new Date(schedule.cutoffAt).toISOString(),
    delivery: { earliest: isoFromDay(schedule.earliest), latest: isoFromDay(schedule.latest) },
  };
}
function compareOptions(a, b) {
  return (
    a.delivery.earliest.localeCompare(b.delivery.earliest) ||
    a.delivery.latest.localeCompare(b.delivery.latest) ||
    a.price.amount - b.price.amount ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
function sortAndTag(options) {
  options.sort(compareOptions);
  const first = options[0];
  if (!first) return options;
  const lowest = Math.min(...options.map((o) => o.price.amount));
  for (const option of options) {
    option.tags = [];
    if (option.delivery.earliest === first.delivery.earliest && option.delivery.latest === first.delivery.latest) {
      option.tags.push('fastest');
    }
    if (option.price.amount === lowest) option.tags.push('cheapest');
  }
  return options;
}
function computePromise(request, env) {
  const { merchant, calendar, lanes, now } = env;
  const postalCode = normalizePostalCode(request.postalCode ?? '');
  const { country } = request;
  const lines = mergeLines(request.lines).map((line) => ({
    ...line,
    product: merchant.products.get(line.sku),
  }));
  const sources = sourceLines(lines, {
    merchant,
    stock: env.stock,
    served: (w) => lanes.served(w.country, country, postalCode),
  });
  const sourcedIndexes = sources.flatMap((source, index) => (source.warehouse ? [index] : []));
  const shipments = planShipments(
    sourcedIndexes.map((index) => lines[index]),
    sourcedIndexes.map((index) => sources[index]?.warehouse),
    sourcedIndexes.map((index) => {
      const source = sources[index];
      return source?.warehouse ? source.availableFrom : null;
    }),
  );
  const options = [];
  const windows = /* @__PURE__ */ new Map();
  const shipmentLanes = shipments.map((s) => lanes.lanes(s.warehouse.country, country, postalCode));
  merchant.services.forEach((service, serviceIndex) => {
    if (shipments.length === 0) return;
    const carrier = service.carrier;
    let amount = 0;
    const shipmentPromises = [];
    for (const [shipmentIndex, shipment] of shipments.entries()) {
      const lane = shipmentLanes[shipmentIndex]?.[serviceIndex];
      if (!lane || !fits(service, shipment.parcel)) return;
      const price = shipmentPrice(service, lane, shipment.parcel.weightGrams, postalCode);
      if (price === null) return;
      const { warehouse, readyFrom } = shipment;
      const windowKey = `${warehouse.id}|${carrier.id}`;
      let window = windows.get(windowKey);
      if (!window) {
        window = orderWindow(now, warehouse, carrier, calendar);
        windows.set(windowKey, window);
      }
      const key = `${warehouse.id}|${carrier.id}|${country}|${lane.transitDays[0]}|${lane.transitDays[1]}|${readyFrom}|${window.today}|${window.todayCounts}`;
      let schedule = env.schedules.get(key);
      if (schedule === void 0) {
        const input = { warehouse, carrier, country, transitDays: lane.transitDays, readyFrom };
        schedule = scheduleText(scheduleShipment(input, window, calendar)) ?? 'none';
        env.schedules.set(key, schedule);
      }
      if (schedule === 'none') return;
      amount += price;
      shipmentPromises.push({
        warehouse: shipment.warehouse.id,
        items: shipment.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        dispatchDate: schedule.dispatchDate,
        cutoffAt: schedule.cutoffAt,
        delivery: { ...schedule.delivery },
      });
    }
    const latestOf = (pick) => shipmentPromises.map(pick).sort().at(-1);
    const cutoffs = shipmentPromises.flatMap((s) => (s.cutoffAt ? [s.cutoffAt] : [])).sort();
    options.push({
      id: service.id,
      carrier: carrier.id,
      service: service.id,
      name: service.name,
      deliveryType: service.deliveryType,
      price: { amount, currency: merchant.currency },
      cutoffAt: cutoffs[0] ?? null,
      dispatchDate: latestOf((s) => s.dispatchDate),
      delivery: { earliest: latestOf((s) => s.delivery.earliest), latest: latestOf((s) => s.delivery.latest) },
      shipments: shipmentPromises,
      tags: [],
    });
  });
  const noOption = options.length === 0;
  const items = lines.map((line, index) => {
    const source = sources[index];
    if (source?.warehouse && !noOption) {
      const from = source.availableFrom;
      return {
        sku: line.sku,
        quantity: line.quantity,
        available: true,
        availableFrom: from === null ? null : isoFromDay(from),
        reason: null,
      };
    }
    const reason = source && !source.warehouse ? source.reason : 'no_service';
    return { sku: line.sku, quantity: line.quantity, available: false, availableFrom: null, reason };
  });
  if (noOption) {
    return { status: 'unavailable', reason: items[0]?.reason ?? 'no_service', items, options };
  }
  const status = items.every((item) => item.available) ? 'available' : 'partial';
  return { status, reason: null, items, options: sortAndTag(options) };
}

// api/src/plugins/merchants.ts
var DEFAULT_LIMITS = { promisePerMinutePerIp: 600, writesPerMinutePerKey: 6e3 };
function hashKey(key) {
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}
function isTestKey(key) {
  return key.startsWith('pk_test_') || key.startsWith('sk_test_');
}
var MerchantRegistry = class {
  #byId = /* @__PURE__ */ new Map();
  #keys = /* @__PURE__ */ new Map();
  constructor(configs) {
    for (const config of configs) {
      const merchant = compileMerchant(config);
      const runtime = {
        merchant,
        caches: merchantCaches(merchant),
        limits: { ...DEFAULT_LIMITS, ...config.limits },
        seed: (config.inventory ?? []).map((level) => ({
          warehouse: level.warehouse,
          sku: level.sku,
          onHand: level.onHand,
          reserved: 0,
          safetyStock: level.safetyStock ?? 0,
          incoming: level.incoming ?? [],
        })),
      };
      this.#byId.set(merchant.id, runtime);
      for (const key of config.keys) {
        const hash = key.keyHash ?? hashKey(key.key ?? '');
        this.#keys.set(hash, {
          merchant: runtime,
          type: key.type,
          allowedOrigins: key.allowedOrigins ?? [],
          id: hash.slice(7, 23),
        });
      }
    }
  }
  get all() {
    return [...this.#byId.values()];
  }
  byId(id) {
    return this.#byId.get(id);
  }
  /** The key record for a presented key, or undefined. A key's prefix must match its declared type. */
  authenticate(key) {
    const found = this.#keys.get(hashKey(key));
    if (!found) return void 0;
    const prefix = found.type === 'publishable' ? 'pk_' : 'sk_';
    return key.startsWith(prefix) ? found : void 0;
  }
};
var merchantsPlugin = fp5(
  async (app2, { configs }) => {
    app2.decorate('merchants', new MerchantRegistry(configs));
  },
  { name: 'merchants' },
);

// api/src/plugins/metrics.ts
import fp6 from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

var metricsPlugin = fp6(
  async (app2) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'promesse_' });
    const duration = new Histogram({
      name: 'promesse_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [1e-3, 25e-4, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    const promises = new Counter({
      name: 'promesse_promises_total',
      help: 'Promises answered, by status (available, partial, unavailable)',
      labelNames: ['status'],
      registers: [registry],
    });
    app2.decorate('metrics', { registry, promises });
    app2.addHook('onResponse', async (request, reply) => {
      duration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
        reply.elapsedTime / 1e3,
      );
    });
    app2.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
      reply.type(registry.contentType).send(await registry.metrics()),
    );
  },
  { name: 'metrics' },
);

// api/src/plugins/openapi.ts
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp7 from 'fastify-plugin';

var openapiPlugin = fp7(
  async (app2) => {
    await app2.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Promesse API',
          version: '1',
          description:
            'Delivery promises for online shops: available-to-promise stock, sourcing, carrier rating, cut-offs and delivery dates. Errors are `{code, message, details?}`.',
        },
        components: {
          securitySchemes: {
            secretKey: {
              type: 'http',
              scheme: 'bearer',
              description: 'a secret key, sk_test_\u2026 or sk_live_\u2026',
            },
            publishableKey: { type: 'apiKey', in: 'query', name: 'key', description: 'a publishable key, pk_\u2026' },
          },
        },
      },
    });
    await app2.register(swaggerUi, { routePrefix: '/docs' });
    app2.get('/openapi.json', { schema: { hide: true } }, async () => app2.swagger());
  },
  { name: 'openapi' },
);

// api/src/plugins/stock.ts
import fp8 from 'fastify-plugin';
import { LRUCache as LRUCache6 } from 'lru-cache';

var StockCache = class {
  #store;
  #levels = new LRUCache6({ max: 1e5 });
  constructor(store) {
    this.#store = store;
  }
  /** The levels of the given skus, every warehouse, from the cache where it has them. */
  async levels(merchantId, skus) {
    const found = [];
    const missing = [];
    for (const sku of new Set(skus)) {
      const cached = this.#levels.get(`${merchantId}|${sku}`);
      if (cached) found.push(...cached);
      else missing.push(sku);
    }
    if (missing.length > 0) {
      const loaded = await this.#store.inventoryLevels(merchantId, missing);
      for (const sku of missing) {
        const levels = loaded.filter((level) => level.sku === sku);
        this.#levels.set(`${merchantId}|${sku}`, levels);
        found.push(...levels);
      }
    }
    return found;
  }
  async view(merchantId, skus) {
    return stockViewOf(await this.levels(merchantId, skus));
  }
  async update(merchantId, warehouse, sku, update) {
    try {
      return await this.#store.updateInventory(merchantId, warehouse, sku, update);
    } finally {
      this.invalidate(merchantId, sku);
    }
  }
  /** Forgets what the cache holds for a sku, after any change to its stock. */
  invalidate(merchantId, sku) {
    this.#levels.delete(`${merchantId}|${sku}`);
  }
};
var stockPlugin = fp8(
  async (app2, { store }) => {
    app2.decorate('store', store);
    app2.decorate('stock', new StockCache(store));
    app2.addHook('onClose', async () => store.close());
    await store.migrate();
    for (const runtime of app2.merchants.all) await store.seedInventory(runtime.merchant.id, runtime.seed);
  },
  { name: 'stock', dependencies: ['merchants'] },
);

// api/src/routes/health.ts
import { Type } from 'typebox';

async function healthRoutes(app2) {
  app2.get(
    '/health',
    { schema: { summary: 'Readiness', tags: ['ops'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' }),
  );
}

// api/src/routes/v1/inventory.ts
// shared/src/errors.ts
import { Type as Type2, Type as Type4 } from 'typebox';

var ErrorCode = Type2.Union([
  Type2.Literal('invalid_request'),
  Type2.Literal('unauthorized'),
  Type2.Literal('forbidden'),
  Type2.Literal('not_found'),
  Type2.Literal('conflict'),
  Type2.Literal('payload_too_large'),
  Type2.Literal('unsupported_media_type'),
  Type2.Literal('validation_failed'),
  Type2.Literal('rate_limited'),
  Type2.Literal('internal_error'),
]);
var ErrorDetail = Type2.Object({ field: Type2.String(), code: Type2.String() });
var ApiError = Type2.Object(
  {
    code: Type2.String({ description: 'stable snake_case code, e.g. invalid_request' }),
    message: Type2.String(),
    details: Type2.Optional(Type2.Array(ErrorDetail)),
  },
  { $id: 'ApiError', description: 'every 4xx and 5xx answer' },
);

// shared/src/inventory.ts
import { Type as Type3 } from 'typebox';

var Quantity = Type3.Integer({ minimum: 0, maximum: 1e9 });
var Incoming = Type3.Object(
  {
    quantity: Type3.Integer({ minimum: 1, maximum: 1e9 }),
    expectedAt: Type3.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'arrival date, local to the warehouse',
    }),
  },
  { additionalProperties: false },
);
var InventoryUpdate = Type3.Object(
  {
    onHand: Type3.Optional(Quantity),
    safetyStock: Type3.Optional(Quantity),
    incoming: Type3.Optional(Type3.Array(Incoming, { maxItems: 100, description: 'replaces the whole list' })),
  },
  { additionalProperties: false },
);
var WarehouseLevel = Type3.Object({
  warehouse: Type3.String(),
  onHand: Type3.Integer(),
  reserved: Type3.Integer(),
  safetyStock: Type3.Integer(),
  available: Type3.Integer({ description: 'onHand \u2212 reserved \u2212 safetyStock' }),
  incoming: Type3.Array(Incoming),
});
var SkuLevel = Type3.Object({ sku: Type3.String(), ...WarehouseLevel.properties });
var SkuInventory = Type3.Object({ sku: Type3.String(), warehouses: Type3.Array(WarehouseLevel) });

// api/src/routes/v1/inventory.ts
var Sku = Type4.String({ minLength: 1, maxLength: 64 });
var WarehouseId = Type4.String({ minLength: 1, maxLength: 64 });
function levelView(level) {
  return {
    warehouse: level.warehouse,
    onHand: level.onHand,
    reserved: level.reserved,
    safetyStock: level.safetyStock,
    available: level.onHand - level.reserved - level.safetyStock,
    incoming: [...level.incoming],
  };
}
function stockedProduct(runtime, sku) {
  const product = runtime.merchant.products.get(sku);
  if (!product) throw new HttpError(404, 'not_found', `No product "${sku}".`);
  if (product.isBundle) {
    throw new HttpError(422, 'validation_failed', `"${sku}" is a bundle; its stock is its components' stock.`, {
      details: [{ field: 'sku', code: 'bundle_has_no_stock' }],
    });
  }
  return product;
}
async function inventoryRoutes(app2) {
  const writeLimit = {
    hook: 'preHandler',
    max: (request) => request.apiKey?.merchant.limits.writesPerMinutePerKey ?? DEFAULT_LIMITS.writesPerMinutePerKey,
    keyGenerator: (request) => `write|${request.apiKey?.id ?? request.ip}`,
  };
  app2.get(
    '/v1/inventory/:sku',
    {
      preHandler: app2.requireSecretKey,
      schema: {
        summary: 'Stock of one sku in every warehouse',
        tags: ['inventory'],
        security: [{ secretKey: [] }],
        params: Type4.Object({ sku: Sku }),
        response: { 200: SkuInventory, '4xx': ApiError },
      },
    },
    async (request) => {
      const runtime = callerOf(request).merchant;
      const product = stockedProduct(runtime, request.params.sku);
      const levels = await app2.stock.levels(runtime.merchant.id, [product.sku]);
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
  app2.put(
    '/v1/inventory/:warehouse/:sku',
    {
      preHandler: app2.requireSecretKey,
      config: { rateLimit: writeLimit },
      schema: {
        summary: 'Set on-hand, safety stock or incoming stock of one sku in one warehouse',
        description: 'Given fields replace the stored ones; omitted fields stay. `incoming` is replaced as a whole.',
        tags: ['inventory'],
        security: [{ secretKey: [] }],
        params: Type4.Object({ warehouse: WarehouseId, sku: Sku }),
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
      const level = await app2.stock.update(runtime.merchant.id, warehouse, sku, request.body);
      return { sku, ...levelView(level) };
    },
  );
}

// api/src/routes/v1/promise.ts
import { createHash as createHash2 } from 'node:crypto';
// shared/src/promise.ts
// shared/src/config.ts
import { Type as Type5, Type as Type6 } from 'typebox';

var Id = Type5.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: 'letters, digits, _ . -' });
var Country = Type5.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2, upper case' });
var LocalDate = Type5.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
var Weekday = Type5.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday \u2026 7 = Sunday' });
var Weekdays = Type5.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true });
var PostalPattern = Type5.String({
  pattern: '^(\\*|[A-Za-z0-9 -]{1,16}\\*?)$',
  description: 'a prefix pattern such as "75*", an exact code, or "*"',
});
var Amount = Type5.Integer({ minimum: 0, maximum: 1e8, description: 'minor units' });
var KeyConfig = Type5.Object(
  {
    key: Type5.Optional(Type5.String({ pattern: '^(pk|sk)_(test|live)_[A-Za-z0-9_]{4,128}$' })),
    keyHash: Type5.Optional(Type5.String({ pattern: '^sha256:[0-9a-f]{64}$' })),
    type: Type5.Union([Type5.Literal('publishable'), Type5.Literal('secret')]),
    allowedOrigins: Type5.Optional(Type5.Array(Type5.String({ minLength: 1, maxLength: 256 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
var WarehouseConfig = Type5.Object(
  {
    id: Id,
    name: Type5.String({ minLength: 1, maxLength: 200 }),
    country: Country,
    postalCode: Type5.String({ minLength: 1, maxLength: 16 }),
    timeZone: Type5.String({ minLength: 1 }),
    holidays: Type5.Object(
      { country: Country, region: Type5.Optional(Type5.Union([Type5.String({ minLength: 1 }), Type5.Null()])) },
      { additionalProperties: false },
    ),
    closedDates: Type5.Optional(Type5.Array(LocalDate, { maxItems: 1e3 })),
    workingDays: Weekdays,
    handlingDays: Type5.Optional(Type5.Integer({ minimum: 0, maximum: 30 })),
    cutoffs: Type5.Record(Type5.String(), Type5.String(), { description: 'HH:mm by carrier id, and "default"' }),
    priority: Type5.Optional(Type5.Integer({ minimum: 0, maximum: 1e6 })),
  },
  { additionalProperties: false },
);
var RateConfig = Type5.Object(
  { upToGrams: Type5.Integer({ minimum: 1, maximum: 1e7 }), amount: Amount },
  { additionalProperties: false },
);
var LaneConfig = Type5.Object(
  {
    from: Type5.Array(Country, { minItems: 1 }),
    to: Type5.Array(Country, { minItems: 1 }),
    postalCodes: Type5.Optional(Type5.Array(PostalPattern, { minItems: 1 })),
    transitDays: Type5.Tuple([Type5.Integer({ minimum: 0, maximum: 60 }), Type5.Integer({ minimum: 0, maximum: 60 })]),
    rates: Type5.Array(RateConfig),
  },
  { additionalProperties: false },
);
var SurchargeConfig = Type5.Object(
  {
    name: Type5.String({ minLength: 1, maxLength: 64 }),
    postalCodes: Type5.Optional(Type5.Array(PostalPattern, { minItems: 1 })),
    amount: Type5.Optional(Amount),
    percent: Type5.Optional(Type5.Number({ minimum: 0, maximum: 1e3 })),
  },
  { additionalProperties: false },
);
var DeliveryType = Type5.Union([Type5.Literal('home'), Type5.Literal('pickup_point'), Type5.Literal('locker')]);
var ServiceConfig = Type5.Object(
  {
    id: Id,
    name: Type5.String({ minLength: 1, maxLength: 200 }),
    deliveryType: DeliveryType,
    lanes: Type5.Array(LaneConfig, { minItems: 1 }),
    maxWeightGrams: Type5.Optional(Type5.Integer({ minimum: 1 })),
    maxSideCm: Type5.Optional(Type5.Number({ exclusiveMinimum: 0 })),
    allowsDangerousGoods: Type5.Optional(Type5.Boolean()),
    surcharges: Type5.Optional(Type5.Array(SurchargeConfig)),
  },
  { additionalProperties: false },
);
var CarrierConfig = Type5.Object(
  {
    id: Id,
    name: Type5.String({ minLength: 1, maxLength: 200 }),
    adapter: Type5.Optional(Type5.String({ minLength: 1, maxLength: 64 })),
    pickupDays: Weekdays,
    deliveryDays: Weekdays,
    services: Type5.Array(ServiceConfig, { minItems: 1 }),
  },
  { additionalProperties: false },
);
var ProductConfig = Type5.Object(
  {
    sku: Type5.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }),
    name: Type5.String({ minLength: 1, maxLength: 200 }),
    weightGrams: Type5.Optional(Type5.Integer({ minimum: 0, maximum: 1e7 })),
    dimensionsCm: Type5.Optional(
      Type5.Array(Type5.Number({ exclusiveMinimum: 0, maximum: 1e4 }), { minItems: 1, maxItems: 3 }),
    ),
    dangerousGoods: Type5.Optional(Type5.Boolean()),
    hsCode: Type5.Optional(Type5.String({ pattern: '^\\d{6,10}$' })),
    originCountry: Type5.Optional(Country),
    components: Type5.Optional(
      Type5.Array(
        Type5.Object(
          { sku: Type5.String({ minLength: 1 }), quantity: Type5.Integer({ minimum: 1, maximum: 1e3 }) },
          { additionalProperties: false },
        ),
        { minItems: 1 },
      ),
    ),
  },
  { additionalProperties: false },
);
var IncomingConfig = Type5.Object(
  { quantity: Type5.Integer({ minimum: 1, maximum: 1e9 }), expectedAt: LocalDate },
  { additionalProperties: false },
);
var InventorySeedConfig = Type5.Object(
  {
    warehouse: Type5.String({ minLength: 1 }),
    sku: Type5.String({ minLength: 1 }),
    onHand: Type5.Integer({ minimum: 0, maximum: 1e9 }),
    safetyStock: Type5.Optional(Type5.Integer({ minimum: 0, maximum: 1e9 })),
    incoming: Type5.Optional(Type5.Array(IncomingConfig, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
var LimitsConfig = Type5.Object(
  {
    promisePerMinutePerIp: Type5.Optional(Type5.Integer({ minimum: 1, maximum: 1e8 })),
    writesPerMinutePerKey: Type5.Optional(Type5.Integer({ minimum: 1, maximum: 1e8 })),
  },
  { additionalProperties: false },
);
var MerchantConfig = Type5.Object(
  {
    merchant: Type5.Object(
      {
        id: Id,
        name: Type5.String({ minLength: 1, maxLength: 200 }),
        currency: Type5.String({ pattern: '^[A-Z]{3}$' }),
      },
      { additionalProperties: false },
    ),
    keys: Type5.Array(KeyConfig, { minItems: 1 }),
    warehouses: Type5.Array(WarehouseConfig, { minItems: 1 }),
    carriers: Type5.Array(CarrierConfig, { minItems: 1 }),
    products: Type5.Array(ProductConfig),
    limits: Type5.Optional(LimitsConfig),
    inventory: Type5.Optional(Type5.Array(InventorySeedConfig)),
  },
  { additionalProperties: false },
);

// shared/src/promise.ts
var PROMISE_LIMITS = { maxLines: 100, maxQuantity: 9999, maxItemsLength: 4e3 };
var IsoDate = Type6.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a local date, YYYY-MM-DD' });
var Instant = Type6.String({ description: 'an ISO 8601 instant in UTC' });
var PromiseQuery = Type6.Object({
  key: Type6.String({ minLength: 1, maxLength: 200, description: 'a publishable key (pk_\u2026)' }),
  items: Type6.Optional(
    Type6.String({
      minLength: 1,
      maxLength: PROMISE_LIMITS.maxItemsLength,
      description: `cart lines as SKU:QUANTITY separated by commas, at most ${PROMISE_LIMITS.maxLines}`,
      examples: ['MUG-01:1,TEE-02:2'],
    }),
  ),
  sku: Type6.Optional(Type6.String({ minLength: 1, maxLength: 64, description: 'one product (instead of items)' })),
  quantity: Type6.Optional(
    Type6.Integer({ minimum: 1, maximum: PROMISE_LIMITS.maxQuantity, description: 'with sku; default 1' }),
  ),
  country: Type6.String({ pattern: '^[A-Za-z]{2}$', description: 'destination, ISO 3166-1 alpha-2' }),
  postalCode: Type6.Optional(Type6.String({ minLength: 1, maxLength: 16, description: 'destination postal code' })),
  locale: Type6.Optional(Type6.String({ minLength: 2, maxLength: 35, description: 'BCP 47 tag, e.g. fr-FR' })),
  at: Type6.Optional(Type6.String({ maxLength: 40, description: 'test keys only: the instant to promise at' })),
});
var PromiseLine = Type6.Object({
  sku: Type6.String(),
  quantity: Type6.Integer(),
  available: Type6.Boolean(),
  availableFrom: Type6.Union([IsoDate, Type6.Null()], { description: 'set when the line waits for incoming stock' }),
  reason: Type6.Union([
    Type6.Literal('out_of_stock'),
    Type6.Literal('no_service'),
    Type6.Literal('unknown_sku'),
    Type6.Null(),
  ]),
});
var DeliveryWindow = Type6.Object({ earliest: IsoDate, latest: IsoDate });
var ShipmentPromise = Type6.Object({
  warehouse: Type6.String(),
  items: Type6.Array(Type6.Object({ sku: Type6.String(), quantity: Type6.Integer() })),
  dispatchDate: IsoDate,
  cutoffAt: Type6.Union([Instant, Type6.Null()]),
  delivery: DeliveryWindow,
});
var OptionTag = Type6.Union([Type6.Literal('fastest'), Type6.Literal('cheapest')]);
var DeliveryOption = Type6.Object({
  id: Type6.String(),
  carrier: Type6.String(),
  service: Type6.String(),
  name: Type6.String(),
  deliveryType: DeliveryType,
  price: Type6.Object({ amount: Type6.Integer(), currency: Type6.String() }),
  cutoffAt: Type6.Union([Instant, Type6.Null()]),
  dispatchDate: IsoDate,
  delivery: DeliveryWindow,
  shipments: Type6.Array(ShipmentPromise),
  tags: Type6.Array(OptionTag),
});
var PromiseStatus = Type6.Union([Type6.Literal('available'), Type6.Literal('partial'), Type6.Literal('unavailable')]);
var DeliveryPromise = Type6.Object(
  {
    promiseId: Type6.String({ description: 'signed token binding lines, destination, options and expiry' }),
    generatedAt: Instant,
    expiresAt: Instant,
    status: PromiseStatus,
    reason: Type6.Union([
      Type6.Literal('out_of_stock'),
      Type6.Literal('no_service'),
      Type6.Literal('unknown_sku'),
      Type6.Null(),
    ]),
    items: Type6.Array(PromiseLine),
    options: Type6.Array(DeliveryOption),
  },
  { $id: 'DeliveryPromise' },
);

// api/src/config/validate-config.ts
import countries from 'i18n-iso-countries';
// api/src/routes/v1/promise-query.ts
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';
import { Value } from 'typebox/value';

function pathFromPointer(pointer) {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}
function at(path, problem) {
  return `${path || '(root)'}: ${problem}`;
}
var currencies = new Set(Intl.supportedValuesOf('currency'));
function isKnownCountry(code) {
  return /^[A-Z]{2}$/.test(code) && countries.isValid(code);
}
function schemaProblems(value) {
  const problems = [];
  for (const error of Value.Errors(MerchantConfig, value)) {
    if (error.keyword === 'boolean') continue;
    const path = pathFromPointer(error.instancePath);
    const params = error.params;
    if (error.keyword === 'additionalProperties' && Array.isArray(params.additionalProperties)) {
      for (const name of params.additionalProperties) problems.push(at(path, `unknown property "${String(name)}"`));
    } else if (error.keyword === 'required' && Array.isArray(params.requiredProperties)) {
      for (const name of params.requiredProperties)
        problems.push(at(path, `missing required property "${String(name)}"`));
    } else {
      problems.push(at(path, error.message));
    }
  }
  return [...new Set(problems)];
}
function duplicates(values) {
  const seen = /* @__PURE__ */ new Map();
  const repeated = /* @__PURE__ */ new Map();
  values.forEach((value, index) => {
    if (seen.has(value)) repeated.set(value, index);
    else seen.set(value, index);
  });
  return repeated;
}
function semanticProblems(config, problems) {
  const add = (path, problem) => problems.push(at(path, problem));
  const ensureCountry = (path, code) => {
    if (!isKnownCountry(code)) add(path, `unknown country "${code}"`);
  };
  if (!currencies.has(config.merchant.currency))
    add('merchant.currency', `unknown currency "${config.merchant.currency}"`);
  config.keys.forEach((key, i) => {
    const path = `keys[${i}]`;
    if ((key.key === void 0) === (key.keyHash === void 0)) add(path, 'give exactly one of "key" or "keyHash"');
    const prefix = key.type === 'publishable' ? 'pk_' : 'sk_';
    if (key.key && !key.key.startsWith(prefix)) add(`${path}.key`, `a ${key.type} key starts with "${prefix}"`);
    if (key.type === 'secret' && key.allowedOrigins)
      add(`${path}.allowedOrigins`, 'secret keys are never used from browsers');
  });
  for (const [key, i] of duplicates(config.keys.flatMap((k) => (k.key ? [k.key] : []))))
    add(`keys[${i}].key`, `duplicate key "${key}"`);
  const carrierIds = new Set(config.carriers.map((c) => c.id));
  config.warehouses.forEach((w, i) => {
    const path = `warehouses[${i}]`;
    ensureCountry(`${path}.country`, w.country);
    if (!isKnownTimeZone(w.timeZone)) add(`${path}.timeZone`, `unknown time zone "${w.timeZone}"`);
    const holidays = holidayCodeProblem(w.holidays.country, w.holidays.region);
    if (holidays) add(`${path}.holidays`, holidays);
    (w.closedDates ?? []).forEach((date, j) => {
      if (dayFromIso(date) === null) add(`${path}.closedDates[${j}]`, `not a calendar date "${date}"`);
    });
    if (!('default' in w.cutoffs)) add(`${path}.cutoffs`, 'missing the "default" cut-off');
    for (const [carrier, time] of Object.entries(w.cutoffs)) {
      if (carrier !== 'default' && !carrierIds.has(carrier))
        add(`${path}.cutoffs.${carrier}`, `unknown carrier "${carrier}"`);
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time))
        add(`${path}.cutoffs.${carrier}`, `cut-off must be HH:mm, got "${time}"`);
    }
    for (const c of config.carriers) {
      if (!c.pickupDays.some((day) => w.workingDays.includes(day))) {
        add(`${path}.workingDays`, `carrier "${c.id}" never picks up on a working day of this warehouse`);
      }
    }
  });
  for (const [id, i] of duplicates(config.warehouses.map((w) => w.id)))
    add(`warehouses[${i}].id`, `duplicate warehouse id "${id}"`);
  const serviceIds = [];
  const servicePaths = [];
  config.carriers.forEach((c, i) => {
    c.services.forEach((s, j) => {
      const path = `carriers[${i}].services[${j}]`;
      serviceIds.push(s.id);
      servicePaths.push(path);
      s.lanes.forEach((lane, k) => {
        const lanePath = `${path}.lanes[${k}]`;
        for (const [n, code] of lane.from.entries()) ensureCountry(`${lanePath}.from[${n}]`, code);
        for (const [n, code] of lane.to.entries()) ensureCountry(`${lanePath}.to[${n}]`, code);
        if (lane.transitDays[0] > lane.transitDays[1]) add(`${lanePath}.transitDays`, 'minimum is above maximum');
        if (lane.rates.length === 0) add(`${lanePath}.rates`, 'a lane needs at least one rate');
        lane.rates.forEach((rate, n) => {
          const previous = lane.rates[n - 1];
          if (previous && rate.upToGrams <= previous.upToGrams) {
            add(
              `${lanePath}.rates[${n}].upToGrams`,
              `rate table must increase (${rate.upToGrams} after ${previous.upToGrams})`,
            );
          }
        });
      });
      (s.surcharges ?? []).forEach((x, k) => {
        if ((x.amount === void 0) === (x.percent === void 0)) {
          add(`${path}.surcharges[${k}]`, 'give exactly one of "amount" or "percent"');
        }
      });
    });
  });
  for (const [id, i] of duplicates(config.carriers.map((c) => c.id)))
    add(`carriers[${i}].id`, `duplicate carrier id "${id}"`);
  for (const [id, i] of duplicates(serviceIds)) add(`${servicePaths[i]}.id`, `duplicate service id "${id}"`);
  const products = new Map(config.products.map((p) => [p.sku, p]));
  config.products.forEach((p, i) => {
    const path = `products[${i}]`;
    if (p.originCountry) ensureCountry(`${path}.originCountry`, p.originCountry);
    if (!p.components) {
      if (p.weightGrams === void 0) add(path, 'missing "weightGrams"');
      if (p.dimensionsCm === void 0) add(path, 'missing "dimensionsCm"');
      return;
    }
    p.components.forEach((component, j) => {
      const part = products.get(component.sku);
      if (!part) add(`${path}.components[${j}].sku`, `unknown sku "${component.sku}"`);
      else if (part.components)
        add(`${path}.components[${j}].sku`, `"${component.sku}" is a bundle; bundles do not nest`);
    });
  });
  for (const [sku, i] of duplicates(config.products.map((p) => p.sku)))
    add(`products[${i}].sku`, `duplicate sku "${sku}"`);
  const warehouseIds = new Set(config.warehouses.map((w) => w.id));
  (config.inventory ?? []).forEach((level, i) => {
    const path = `inventory[${i}]`;
    if (!warehouseIds.has(level.warehouse)) add(`${path}.warehouse`, `unknown warehouse "${level.warehouse}"`);
    const product = products.get(level.sku);
    if (!product) add(`${path}.sku`, `unknown sku "${level.sku}"`);
    else if (product.components) add(`${path}.sku`, `"${level.sku}" is a bundle; it is stocked through its components`);
    (level.incoming ?? []).forEach((entry, j) => {
      if (dayFromIso(entry.expectedAt) === null)
        add(`${path}.incoming[${j}].expectedAt`, `not a calendar date "${entry.expectedAt}"`);
    });
  });
  for (const [pair, i] of duplicates((config.inventory ?? []).map((l) => `${l.warehouse}/${l.sku}`))) {
    add(`inventory[${i}]`, `duplicate inventory for ${pair}`);
  }
}
function validateMerchantConfig(value) {
  const problems = schemaProblems(value);
  try {
    semanticProblems(value, problems);
  } catch {}
  return [...new Set(problems)];
}

// api/src/routes/v1/promise-query.ts
var SKU = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
var POSTAL_CHARACTERS = /^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$/;
var INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
function parseQuantity(text, field) {
  if (!/^\d{1,9}$/.test(text))
    throw invalidField(field, 'invalid_quantity', `${field}: quantity must be a whole number.`);
  const quantity = Number(text);
  if (quantity < 1) throw invalidField(field, 'too_small', `${field}: quantity must be at least 1.`);
  if (quantity > PROMISE_LIMITS.maxQuantity) {
    throw invalidField(field, 'too_large', `${field}: quantity must be at most ${PROMISE_LIMITS.maxQuantity}.`);
  }
  return quantity;
}
function parseItems(items) {
  const parts = items.split(',');
  if (parts.length > PROMISE_LIMITS.maxLines) {
    throw invalidField('items', 'too_many', `items: at most ${PROMISE_LIMITS.maxLines} lines per promise.`);
  }
  return parts.map((part, index) => {
    const [sku = '', quantity, extra] = part.trim().split(':');
    const field = `items[${index}]`;
    if (!SKU.test(sku) || extra !== void 0) {
      throw invalidField(field, 'invalid_format', `${field}: expected SKU:QUANTITY, got "${part.slice(0, 80)}".`);
    }
    return { sku, quantity: quantity === void 0 ? 1 : parseQuantity(quantity, field) };
  });
}
function parseInstant(text) {
  if (!INSTANT.test(text)) return null;
  const instant = Date.parse(text);
  if (!Number.isFinite(instant) || instant < Date.UTC(2e3, 0, 1) || instant >= Date.UTC(2100, 0, 1)) return null;
  return instant;
}
function parsePromiseQuery(query, { testKey }) {
  let lines;
  if (query.items !== void 0 && query.sku !== void 0) {
    throw invalidField('sku', 'conflicts_with_items', 'Give either items or sku (with quantity), not both.');
  } else if (query.items !== void 0) {
    lines = parseItems(query.items);
  } else if (query.sku !== void 0) {
    if (!SKU.test(query.sku)) throw invalidField('sku', 'invalid_format', 'sku: letters, digits, "_", "." and "-".');
    lines = [{ sku: query.sku, quantity: query.quantity ?? 1 }];
  } else {
    throw invalidField('items', 'required', 'Give items (SKU:QUANTITY,\u2026) or sku and quantity.');
  }
  if (query.quantity !== void 0 && query.sku === void 0) {
    throw invalidField('quantity', 'requires_sku', 'quantity goes with sku; in items, write SKU:QUANTITY.');
  }
  const country = query.country.toUpperCase();
  if (!isKnownCountry(country)) throw invalidField('country', 'unknown_country', `Unknown country "${query.country}".`);
  let postalCode = null;
  if (query.postalCode !== void 0) {
    const code = query.postalCode.trim();
    const valid =
      POSTAL_CHARACTERS.test(code) && (!postcodeValidatorExistsForCountry(country) || postcodeValidator(code, country));
    if (!valid) {
      throw invalidField(
        'postalCode',
        'invalid_for_country',
        `"${code.slice(0, 16)}" is not a postal code of ${country}.`,
      );
    }
    postalCode = code;
  }
  let locale = null;
  if (query.locale !== void 0) {
    try {
      locale = Intl.getCanonicalLocales(query.locale)[0] ?? null;
    } catch {
      throw invalidField('locale', 'invalid_locale', `"${query.locale.slice(0, 35)}" is not a BCP 47 language tag.`);
    }
  }
  let at2 = null;
  if (query.at !== void 0) {
    if (!testKey)
      throw invalidField('at', 'test_key_required', 'at fixes the clock and is accepted with test keys only.');
    at2 = parseInstant(query.at);
    if (at2 === null)
      throw invalidField('at', 'invalid_instant', 'at must be an ISO 8601 instant, e.g. 2026-11-23T10:00:00Z.');
  }
  return { request: { lines, country, postalCode }, locale, at: at2 };
}

// api/src/routes/v1/promise.ts
var PROMISE_TTL_MS = 15 * 6e4;
var MAX_AGE_SECONDS = 60;
function presentedKey(request) {
  const key = request.query.key;
  if (key.startsWith('sk_')) {
    throw invalidField(
      'key',
      'secret_key_in_url',
      'Never put a secret key in a URL: roll it, and use a publishable key.',
    );
  }
  return key;
}
async function promiseRoutes(app2) {
  app2.get(
    '/v1/promise',
    {
      schema: {
        summary: 'Delivery options and dates for a cart and destination',
        description:
          'A simple GET, so browsers send no CORS preflight. Give `items` (SKU:QUANTITY,\u2026) or `sku` and `quantity`. `at` fixes the clock for test keys. Cached for at most 60 s, never past the earliest cut-off.',
        tags: ['promise'],
        security: [{ publishableKey: [] }],
        querystring: PromiseQuery,
        response: { 200: DeliveryPromise, '4xx': ApiError },
      },
      config: {
        rateLimit: {
          max: (request) => {
            const key = request.query.key;
            const found = key ? app2.merchants.authenticate(key) : void 0;
            return found?.merchant.limits.promisePerMinutePerIp ?? DEFAULT_LIMITS.promisePerMinutePerIp;
          },
          keyGenerator: (request) => {
            const key = request.query.key;
            const found = key ? app2.merchants.authenticate(key) : void 0;
            return `promise|${found?.merchant.merchant.id ?? '-'}|${request.ip}`;
          },
        },
      },
    },
    async (request, reply) => {
      const plainKey = presentedKey(request);
      const caller = app2.merchants.authenticate(plainKey);
      if (!caller) throw new HttpError(401, 'unauthorized', 'Unknown API key.');
      const { merchant, caches } = caller.merchant;
      const parsed = parsePromiseQuery(request.query, { testKey: isTestKey(plainKey) });
      const now = parsed.at ?? app2.clock();
      const skus = parsed.request.lines.flatMap((line) => {
        const product = merchant.products.get(line.sku);
        return product ? product.stockUnits.map((unit) => unit.sku) : [];
      });
      const stock = await app2.stock.view(merchant.id, skus);
      const result = computePromise(parsed.request, { now, merchant, stock, ...caches });
      app2.metrics.promises.inc({ status: result.status });
      const expiresAt = now + PROMISE_TTL_MS;
      const promiseId = app2.promiseTokens.sign({
        merchant: merchant.id,
        lines: result.items.map((item) => [item.sku, item.quantity]),
        destination: [parsed.request.country, parsed.request.postalCode],
        options: result.options.map((o) => [o.id, o.price.amount, o.delivery.earliest, o.delivery.latest]),
        expiresAt,
      });
      const etag = `"${createHash2('sha1')
        .update(JSON.stringify([result.status, result.items, result.options]))
        .digest('base64url')}"`;
      reply.header('ETag', etag);
      reply.header('Vary', 'Origin');
      if (parsed.at !== null) {
        reply.header('Cache-Control', 'no-store');
      } else {
        const cutoffs = result.options.flatMap((o) => (o.cutoffAt ? [Date.parse(o.cutoffAt)] : []));
        const fresh = Math.min(MAX_AGE_SECONDS * 1e3, expiresAt - now, ...cutoffs.map((c) => c - now));
        reply.header('Cache-Control', `public, max-age=${Math.max(0, Math.floor(fresh / 1e3))}`);
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      }
      return {
        promiseId,
        generatedAt: new Date(now).toISOString(),
        expiresAt: new Date(expiresAt).toISOString(),
        ...result,
      };
    },
  );
}

// api/src/app.ts
async function buildApp(options) {
  const app2 = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1048576,
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: true } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app2.removeContentTypeParser('text/plain');
  app2.addHook('onRequest', async (request) => {
    if (request.url.length > 8192) throw new HttpError(414, 'invalid_request', 'The URL is too long.');
  });
  await app2.register(errorsPlugin);
  await app2.register(merchantsPlugin, { configs: options.merchants });
  await app2.register(stockPlugin, { store: options.store });
  await app2.register(clockPlugin, {
    clock: options.clock ?? Date.now,
    secret: options.secret ?? process.env.PROMESSE_SECRET,
  });
  await app2.register(authPlugin);
  await app2.register(corsPlugin);
  await app2.register(metricsPlugin);
  await app2.register(rateLimit, {
    global: false,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate_limited', `Too many requests; retry in ${Math.ceil(context.ttl / 1e3)} s.`, {
        headers: { 'retry-after': String(Math.ceil(context.ttl / 1e3)) },
      }),
  });
  await app2.register(openapiPlugin);
  await app2.register(healthRoutes);
  await app2.register(promiseRoutes);
  await app2.register(inventoryRoutes);
  return app2;
}

// api/src/store/sqlite/sqlite-store.ts
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

// api/src/store/sqlite/migrations.ts
var SQLITE_MIGRATIONS = [
  {
    version: 1,
    name: 'inventory levels and service secrets',
    sql: `
      CREATE TABLE inventory_levels (
        merchant_id   TEXT    NOT NULL,
        warehouse_id  TEXT    NOT NULL,
        sku           TEXT    NOT NULL,
        on_hand       INTEGER NOT NULL CHECK (on_hand >= 0),
        reserved      INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        safety_stock  INTEGER NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
        incoming      TEXT    NOT NULL DEFAULT '[]',
        updated_at    TEXT    NOT NULL,
        PRIMARY KEY (merchant_id, sku, warehouse_id)
      ) WITHOUT ROWID;
      CREATE TABLE service_secrets (
        name       TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
];

// api/src/store/sqlite/sqlite-store.ts
function toLevel(row) {
  return {
    warehouse: row.warehouse_id,
    sku: row.sku,
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
    incoming: JSON.parse(row.incoming),
  };
}
var SqliteStore = class {
  #db;
  #clock;
  constructor({ dataDir, clock = Date.now }) {
    if (dataDir === ':memory:') {
      this.#db = new Database(':memory:');
    } else {
      mkdirSync(dataDir, { recursive: true });
      this.#db = new Database(join(dataDir, 'promesse.sqlite'));
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = NORMAL');
    }
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
    this.#clock = clock;
  }
  #now() {
    return new Date(this.#clock()).toISOString();
  }
  async migrate() {
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(
      this.#db
        .prepare('SELECT version FROM schema_migrations')
        .all()
        .map((r) => r.version),
    );
    for (const migration of SQLITE_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      this.#db
        .transaction(() => {
          this.#db.exec(migration.sql);
          this.#db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(migration.version, migration.name, this.#now());
        })
        .immediate();
    }
  }
  async seedInventory(merchantId, levels) {
    const insert = this.#db.prepare(
      `INSERT INTO inventory_levels (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, updated_at)
       VALUES (?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const now = this.#now();
    return this.#db.transaction(() => {
      let inserted = 0;
      for (const level of levels) {
        inserted += insert.run(
          merchantId,
          level.warehouse,
          level.sku,
          level.onHand,
          level.safetyStock,
          JSON.stringify(level.incoming),
          now,
        ).changes;
      }
      return inserted;
    })();
  }
  async inventoryLevels(merchantId, skus) {
    if (skus.length === 0) return [];
    const rows = this.#db
      .prepare(
        `SELECT warehouse_id, sku, on_hand, reserved, safety_stock, incoming FROM inventory_levels
         WHERE merchant_id = ? AND sku IN (SELECT value FROM json_each(?)) ORDER BY sku, warehouse_id`,
      )
      .all(merchantId, JSON.stringify(skus));
    return rows.map(toLevel);
  }
  async updateInventory(merchantId, warehouse, sku, update) {
    const row = this.#db
      .prepare(
        `INSERT INTO inventory_levels (merchant_id, warehouse_id, sku, on_hand, reserved, safety_stock, incoming, updated_at)
         VALUES (@merchant, @warehouse, @sku, coalesce(@onHand, 0), 0, coalesce(@safetyStock, 0), coalesce(@incoming, '[]'), @now)
         ON CONFLICT (merchant_id, sku, warehouse_id) DO UPDATE SET
           on_hand = coalesce(@onHand, on_hand),
           safety_stock = coalesce(@safetyStock, safety_stock),
           incoming = coalesce(@incoming, incoming),
           updated_at = @now
         RETURNING warehouse_id, sku, on_hand, reserved, safety_stock, incoming`,
      )
      .get({
        merchant: merchantId,
        warehouse,
        sku,
        onHand: update.onHand ?? null,
        safetyStock: update.safetyStock ?? null,
        incoming: update.incoming ? JSON.stringify(update.incoming) : null,
        now: this.#now(),
      });
    return toLevel(row);
  }
  async serviceSecret(name) {
    this.#db
      .prepare('INSERT INTO service_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
      .run(name, randomBytes(32).toString('base64url'), this.#now());
    return this.#db.prepare('SELECT value FROM service_secrets WHERE name = ?').get(name).value;
  }
  async close() {
    if (this.#db.open) this.#db.close();
  }
};

// api/src/config/load-config.ts
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join as join2, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

var DEMO_CONFIG_PATH = fileURLToPath(new URL('../../../demo/merchant.yaml', import.meta.url));
var CONFIG_EXTENSIONS = /* @__PURE__ */ new Set(['.json', '.yaml', '.yml']);
var ConfigError = class extends Error {
  problems;
  constructor(problems) {
    super(`invalid merchant config:
${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
};
function configFiles(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new ConfigError([`${path}: no such file or folder`]);
  if (stat.isFile()) return [path];
  const files = readdirSync(path)
    .filter((name) => CONFIG_EXTENSIONS.has(extname(name).toLowerCase()) && !name.startsWith('.'))
    .sort()
    .map((name) => join2(path, name));
  if (files.length === 0) throw new ConfigError([`${path}: no .json, .yaml or .yml file in this folder`]);
  return files;
}
function parseFile(file) {
  const text = readFileSync(file, 'utf8');
  return extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
}
function loadMerchantConfigs(path = DEMO_CONFIG_PATH) {
  const files = configFiles(resolve(path));
  const problems = [];
  const loaded = [];
  for (const file of files) {
    const prefix = files.length > 1 ? `${basename(file)}: ` : '';
    let value;
    try {
      value = parseFile(file);
    } catch (error) {
      problems.push(`${prefix}(file): cannot parse: ${error.message.split('\n')[0]}`);
      continue;
    }
    const fileProblems = validateMerchantConfig(value);
    problems.push(...fileProblems.map((p) => prefix + p));
    if (fileProblems.length === 0) loaded.push({ file, config: value });
  }
  const merchantIds = /* @__PURE__ */ new Map();
  const keys = /* @__PURE__ */ new Map();
  for (const { file, config } of loaded) {
    const other = merchantIds.get(config.merchant.id);
    if (other)
      problems.push(`${basename(file)}: merchant.id: "${config.merchant.id}" is also used by ${basename(other)}`);
    merchantIds.set(config.merchant.id, file);
    for (const key of config.keys) {
      const secret = key.key ?? key.keyHash ?? '';
      const owner = keys.get(secret);
      if (owner) problems.push(`${basename(file)}: keys: a key is also used by ${basename(owner)}`);
      keys.set(secret, file);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}

// bench/bench-merchant.ts
var CART_SKUS = Array.from({ length: 50 }, (_, i) => `BENCH-${String(i + 1).padStart(3, '0')}`);
function benchMerchant() {
  const [demo] = loadMerchantConfigs(DEMO_CONFIG_PATH);
  const config = structuredClone(demo.config);
  config.limits = { promisePerMinutePerIp: 1e8, writesPerMinutePerKey: 1e8 };
  CART_SKUS.forEach((sku, i) => {
    config.products.push({ sku, name: `Bench ${i}`, weightGrams: 100, dimensionsCm: [10, 10, 5] });
    config.inventory?.push({ warehouse: i < 40 ? 'paris' : 'lyon', sku, onHand: 1e3 });
  });
  return config;
}

// bench/_inject.mts
var app = await buildApp({ merchants: [benchMerchant()], store: new SqliteStore({ dataDir: ':memory:' }) });
await app.ready();
var url = '/v1/promise?key=pk_test_demo&sku=MUG-01&quantity=1&country=FR&postalCode=75011';
for (let i = 0; i < 3e3; i++) await app.inject(url);
var t = performance.now();
for (let i = 0; i < 1e4; i++) await app.inject(url);
console.log('promise', (((performance.now() - t) / 1e4) * 1e3).toFixed(0), 'us/request (inject)');
var t2 = performance.now();
for (let i = 0; i < 1e4; i++) await app.inject('/health');
console.log('health', (((performance.now() - t2) / 1e4) * 1e3).toFixed(0), 'us/request (inject)');
await app.close();
