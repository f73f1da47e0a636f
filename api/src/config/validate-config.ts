/**
 * Validates a merchant config: first its shape against the TypeBox schema, then what a schema cannot say
 * (time zones, holiday codes, references between sections, increasing rate tables). Every problem is reported
 * as `path: problem`, so a merchant fixes the whole file in one go.
 */
import countries from 'i18n-iso-countries';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { CARRIER_ADAPTERS, KarrioSettings, MerchantConfig, sinkId } from '../../../shared/src/config.ts';
import { holidayCodeProblem } from '../promise/holidays.ts';
import { dayFromIso } from '../promise/local-date.ts';
import { isKnownTimeZone } from '../promise/zone.ts';
import { configuredKeyHash } from './key-hash.ts';

/** `/warehouses/0/timeZone` → `warehouses[0].timeZone` */
export function pathFromPointer(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function at(path: string, problem: string): string {
  return `${path || '(root)'}: ${problem}`;
}

const currencies = new Set(Intl.supportedValuesOf('currency'));
/** Whether an upper-case two-letter code is an ISO 3166-1 country (i18n-iso-countries keeps the list current). */
export function isKnownCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && countries.isValid(code);
}

/** A value's problems against a schema, as `path: problem` (paths below `base`, a part of the file). */
function schemaProblems(schema: TSchema, value: unknown, base = ''): string[] {
  const problems: string[] = [];
  for (const error of Value.Errors(schema, value)) {
    if (error.keyword === 'boolean') continue; // reported again, better worded, as additionalProperties
    const inner = pathFromPointer(error.instancePath);
    const path = base && inner ? (inner.startsWith('[') ? `${base}${inner}` : `${base}.${inner}`) : base || inner;
    const params = error.params as Record<string, unknown>;
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

function duplicates(values: readonly string[]): Map<string, number> {
  const seen = new Map<string, number>();
  const repeated = new Map<string, number>();
  values.forEach((value, index) => {
    if (seen.has(value)) repeated.set(value, index);
    else seen.set(value, index);
  });
  return repeated;
}

function semanticProblems(config: MerchantConfig, problems: string[]): void {
  const add = (path: string, problem: string) => problems.push(at(path, problem));
  const ensureCountry = (path: string, code: string) => {
    if (!isKnownCountry(code)) add(path, `unknown country "${code}"`);
  };

  if (!currencies.has(config.merchant.currency))
    add('merchant.currency', `unknown currency "${config.merchant.currency}"`);

  // Keys compare by hash, so that a key given plain and again as its keyHash is one key.
  const keyPlaces = new Map<string, number>();
  config.keys.forEach((key, i) => {
    const path = `keys[${i}]`;
    if ((key.key === undefined) === (key.keyHash === undefined)) add(path, 'give exactly one of "key" or "keyHash"');
    else {
      const hash = configuredKeyHash(key);
      const first = keyPlaces.get(hash);
      if (first === undefined) keyPlaces.set(hash, i);
      else add(path, `the same key as keys[${first}]`);
    }
    const prefix = key.type === 'publishable' ? 'pk_' : 'sk_';
    if (key.key && !key.key.startsWith(prefix)) add(`${path}.key`, `a ${key.type} key starts with "${prefix}"`);
    if (key.type === 'secret' && key.allowedOrigins)
      add(`${path}.allowedOrigins`, 'secret keys are never used from browsers');
  });

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
    if (!Object.hasOwn(w.cutoffs, 'default')) add(`${path}.cutoffs`, 'missing the "default" cut-off');
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

  const serviceIds: string[] = [];
  const servicePaths: string[] = [];
  config.carriers.forEach((c, i) => {
    if (c.adapter !== undefined && !(CARRIER_ADAPTERS as readonly string[]).includes(c.adapter)) {
      add(`carriers[${i}].adapter`, `unknown adapter "${c.adapter}" (this build has: ${CARRIER_ADAPTERS.join(', ')})`);
    }
    if (c.adapter === 'karrio') karrioProblems(config, i, problems);
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
        if ((x.amount === undefined) === (x.percent === undefined)) {
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
      if (p.weightGrams === undefined) add(path, 'missing "weightGrams"');
      if (p.dimensionsCm === undefined) add(path, 'missing "dimensionsCm"');
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
  channelProblems(config, add);
  returnsProblems(config, add);
  for (const [email, i] of duplicates((config.users ?? []).map((u) => u.email.toLowerCase())))
    add(`users[${i}].email`, `duplicate console user "${email}"`);
}

/** The returns policy names a warehouse, skus, a carrier and its service that the file has. */
function returnsProblems(config: MerchantConfig, add: (path: string, problem: string) => void): void {
  const returns = config.returns;
  if (!returns) return;
  if (returns.warehouse !== undefined && !config.warehouses.some((w) => w.id === returns.warehouse))
    add('returns.warehouse', `unknown warehouse "${returns.warehouse}"`);
  const skus = new Set(config.products.map((p) => p.sku));
  (returns.nonReturnableSkus ?? []).forEach((sku, i) => {
    if (!skus.has(sku)) add(`returns.nonReturnableSkus[${i}]`, `unknown product "${sku}"`);
  });
  const carrier = config.carriers.find((c) => c.id === returns.carrier);
  if (returns.carrier !== undefined && !carrier) add('returns.carrier', `unknown carrier "${returns.carrier}"`);
  if (returns.service !== undefined) {
    if (returns.carrier === undefined) add('returns.service', 'name the carrier too ("returns.carrier")');
    else if (carrier && !carrier.services.some((s) => s.id === returns.service))
      add('returns.service', `carrier "${returns.carrier}" has no service "${returns.service}"`);
  }
  if (returns.carrier !== undefined && returns.service === undefined)
    add('returns.carrier', 'name its service too ("returns.service")');
}

/** The sales channels (a secret for those that push, an address and key for PrestaShop) and the event sinks. */
function channelProblems(config: MerchantConfig, add: (path: string, problem: string) => void): void {
  const serviceIds = new Set(config.carriers.flatMap((c) => c.services.map((s) => s.id)));
  (config.channels ?? []).forEach((channel, i) => {
    const path = `channels[${i}]`;
    // The channel id is the booked orders' `channel`, which is at most 50 characters.
    if (channel.id.length > 50) add(`${path}.id`, "at most 50 characters (it becomes the orders' channel)");
    if (channel.type === 'prestashop') {
      if (channel.baseUrl === undefined) add(path, 'a prestashop channel needs "baseUrl"');
      if (channel.apiKey === undefined) add(path, 'a prestashop channel needs "apiKey" (a webservice key)');
    } else if (channel.secret === undefined) {
      add(path, `a ${channel.type} channel needs "secret": its webhooks are refused without it`);
    }
    for (const [code, option] of Object.entries(channel.shippingOptions ?? {})) {
      if (!serviceIds.has(option)) add(`${path}.shippingOptions.${code}`, `unknown option "${option}"`);
    }
  });
  for (const [id, i] of duplicates((config.channels ?? []).map((c) => c.id)))
    add(`channels[${i}].id`, `duplicate channel id "${id}"`);
  (config.sinks ?? []).forEach((sink, i) => {
    // Never echo the address: it holds the broker's password.
    if (!URL.canParse(sink.url)) add(`sinks[${i}].url`, 'not a valid amqp:// or amqps:// address');
  });
  for (const [id, i] of duplicates((config.sinks ?? []).map(sinkId)))
    add(`sinks[${i}]`, `duplicate sink "${id}": give each an id of its own`);
}

/**
 * A Karrio carrier's settings, a Karrio service code for each of its services, and a postal address for every
 * warehouse it ships from (a lane's `from` country): a real label needs one.
 */
function karrioProblems(config: MerchantConfig, index: number, problems: string[]): void {
  const carrier = config.carriers[index];
  if (!carrier) return;
  const path = `carriers[${index}].settings`;
  if (carrier.settings === undefined) {
    problems.push(at(path, 'the karrio adapter needs settings {baseUrl, apiKey, serviceCodes}'));
    return;
  }
  const found = schemaProblems(KarrioSettings, carrier.settings, path);
  problems.push(...found);
  if (found.length > 0) return;
  const settings = carrier.settings as KarrioSettings;
  for (const service of carrier.services) {
    if (!Object.hasOwn(settings.serviceCodes, service.id))
      problems.push(at(`${path}.serviceCodes`, `missing the Karrio service code of "${service.id}"`));
  }
  const origins = new Set(carrier.services.flatMap((s) => s.lanes.flatMap((lane) => lane.from)));
  config.warehouses.forEach((w, i) => {
    if (origins.has(w.country) && !w.address) {
      problems.push(at(`warehouses[${i}].address`, `needed to ship with "${carrier.id}" (karrio): the label's sender`));
    }
  });
}

/** Every problem of a merchant config, as `path: problem`; empty when the config is valid. */
export function validateMerchantConfig(value: unknown): string[] {
  const problems = schemaProblems(MerchantConfig, value);
  try {
    semanticProblems(value as MerchantConfig, problems);
  } catch {
    // A malformed shape stops the deeper checks; the schema problems above already say what to fix first.
  }
  return [...new Set(problems)];
}
