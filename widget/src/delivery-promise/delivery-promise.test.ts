/// <reference types="mocha" />
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { DeliveryOption, DeliveryPromise } from '../../../shared/src/promise.ts';
import { forgetDestination } from '../destination.ts';
import './delivery-promise.ts';
import type { DeliveryPromiseElement } from './delivery-promise.component.ts';

declare global {
  interface Window {
    PROMESSE_API: string;
  }
}

const API = 'https://api.promesse.test';

function option(
  id: string,
  earliest: string,
  latest: string,
  amount: number,
  extra: Partial<DeliveryOption> = {},
): DeliveryOption {
  return {
    id,
    carrier: id.split('-')[0] ?? id,
    service: id,
    name: `Service ${id}`,
    deliveryType: 'home',
    price: { amount, currency: 'EUR' },
    cutoffAt: null,
    dispatchDate: '2026-11-25',
    delivery: { earliest, latest },
    shipments: [],
    tags: [],
    estimate: { basis: 'configured', samples: 0, onTimeTarget: 0.95 },
    ...extra,
  };
}

function promise(overrides: Partial<DeliveryPromise> = {}): DeliveryPromise {
  return {
    promiseId: 'prm_test.sig',
    generatedAt: '2026-11-23T09:00:00.000Z',
    expiresAt: '2026-11-23T09:15:00.000Z',
    status: 'available',
    reason: null,
    items: [{ sku: 'MUG-01', quantity: 1, available: true, availableFrom: null, reason: null }],
    options: [
      option('colissimo-home', '2026-11-26', '2026-11-26', 759, { tags: ['fastest'] }),
      option('mr-relay', '2026-11-27', '2026-11-28', 390, { deliveryType: 'pickup_point', tags: ['cheapest'] }),
      option('mr-locker', '2026-11-27', '2026-11-29', 450, { deliveryType: 'locker' }),
      option('dhl-express', '2026-11-27', '2026-11-29', 2990),
    ],
    ...overrides,
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Replaces fetch for one test; records every URL asked for and every signal given. */
function stubFetch(answer: (url: URL) => Response | Promise<Response>) {
  const original = window.fetch;
  const calls: URL[] = [];
  const signals: AbortSignal[] = [];
  window.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push(url);
    if (init?.signal) signals.push(init.signal);
    const signal = init?.signal;
    return await new Promise<Response>((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason));
      Promise.resolve(answer(url)).then(resolve, reject);
    });
  }) as typeof fetch;
  return { calls, signals, restore: () => (window.fetch = original) };
}

const part = (element: DeliveryPromiseElement, name: string) =>
  element.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) as HTMLElement;
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const settled = (element: DeliveryPromiseElement) =>
  waitUntil(
    () =>
      element.promise !== null ||
      (text(part(element, 'headline')).length > 0 && !part(element, 'headline').hasAttribute('aria-busy')),
    'element did not settle',
  );

/**
 * Sets the device clock (`Date.now`) this far ahead of the server's (negative: behind); `server()` reads the
 * server's, and `advance` moves both, as time passing would.
 */
function skewDeviceClock(aheadMs: number) {
  const real = Date.now;
  let elapsed = 0;
  Date.now = () => real() + elapsed + aheadMs;
  return {
    server: () => real() + elapsed,
    advance: (ms: number) => {
      elapsed += ms;
    },
    restore: () => {
      Date.now = real;
    },
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

let stub: ReturnType<typeof stubFetch> | null = null;
let clocks: ReturnType<typeof skewDeviceClock> | null = null;
beforeEach(() => forgetDestination());
afterEach(() => {
  stub?.restore();
  stub = null;
  clocks?.restore();
  clocks = null;
});

describe('<delivery-promise> in product mode', () => {
  it('shows the fastest option as the headline with its dates, and fires dp-promise', async () => {
    stub = stubFetch(() => json(promise()));
    const element = await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${API} key="pk_test_x" sku="MUG-01"
      country="FR" postal-code="75011" locale="fr-FR" at="2026-11-23T09:00:00Z"></delivery-promise>`);
    const event = await oneEvent(element, 'dp-promise');
    expect(event.detail.promiseId).to.equal('prm_test.sig');
    expect(event.bubbles && event.composed).to.equal(true);
    await waitUntil(() => part(element, 'headline').dataset.earliest);
    const headline = part(element, 'headline');
    expect(text(headline)).to.equal('Livraison estimée jeudi 26 novembre');
    expect(headline.dataset.earliest).to.equal('2026-11-26');
    expect(headline.dataset.latest).to.equal('2026-11-26');
    expect(headline.getAttribute('aria-live')).to.equal('polite');
    expect(part(element, 'countdown').hasAttribute('aria-live')).to.equal(false);
  });

  it('sends one simple GET with the query the contract names', async () => {
    stub = stubFetch(() => json(promise()));
    await fixture(html`<delivery-promise api=${API} key="pk_test_x" sku="MUG-01" quantity="2" country="fr"
      postal-code="75011" locale="fr-FR" at="2026-11-23T09:00:00Z"></delivery-promise>`);
    await waitUntil(() => stub?.calls.length === 1);
    const url = stub.calls[0] as URL;
    expect(url.origin + url.pathname).to.equal(`${API}/v1/promise`);
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      key: 'pk_test_x',
      sku: 'MUG-01',
      quantity: '2',
      country: 'FR',
      postalCode: '75011',
      locale: 'fr-FR',
      at: '2026-11-23T09:00:00Z',
    });
  });

  it('says tomorrow and shows a range when the dates differ', async () => {
    stub = stubFetch(() => json(promise({ options: [option('a', '2026-11-24', '2026-11-24', 500)] })));
    const element = await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${API} key="k" sku="A" country="FR"
      locale="en-GB" at="2026-11-23T09:00:00Z"></delivery-promise>`);
    await settled(element);
    expect(text(part(element, 'headline'))).to.equal('Estimated delivery tomorrow, Tuesday 24 November');
    stub.restore();
    stub = stubFetch(() => json(promise({ options: [option('a', '2026-11-26', '2026-11-27', 500)] })));
    element.sku = 'B';
    await waitUntil(() => part(element, 'headline').dataset.latest === '2026-11-27');
    // en-GB sets its range dash between thin spaces
    expect(text(part(element, 'headline'))).to.equal('Estimated delivery 26 – 27 November');
  });

  it('counts down to the cut-off in hours and minutes', async () => {
    const cutoffAt = new Date(Date.now() + (2 * 60 + 13) * 60_000 - 30_000).toISOString();
    stub = stubFetch(() =>
      json(
        promise({
          generatedAt: iso(Date.now()),
          options: [option('a', '2026-11-26', '2026-11-26', 759, { cutoffAt })],
        }),
      ),
    );
    const element = await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${API} key="k" sku="A" country="FR"
      locale="fr-FR"></delivery-promise>`);
    await settled(element);
    await element.updateComplete;
    expect(text(part(element, 'countdown')).replace(/\s/g, ' ')).to.equal('Commandez dans les 2 h 13 min');
  });

  it('fetches again when the cut-off passes', async () => {
    let answers = 0;
    stub = stubFetch(() => {
      answers++;
      const cutoffAt = answers === 1 ? new Date(Date.now() + 1200).toISOString() : null;
      const day = answers === 1 ? '2026-11-24' : '2026-11-25';
      return json(promise({ generatedAt: iso(Date.now()), options: [option('a', day, day, 759, { cutoffAt })] }));
    });
    const element = await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${API} key="k" sku="A" country="FR"
      locale="en"></delivery-promise>`);
    await waitUntil(() => part(element, 'headline').dataset.earliest === '2026-11-24');
    expect(text(part(element, 'countdown'))).to.equal('Order within 1 min');
    await waitUntil(
      () => part(element, 'headline').dataset.earliest === '2026-11-25',
      'no new promise after the cut-off',
      {
        timeout: 4000,
      },
    );
    expect(stub.calls.length).to.equal(2);
    expect(text(part(element, 'countdown'))).to.equal('');
  });

  it('counts down on the server clock and does not refetch when the device clock is 10 min ahead', async () => {
    const device = skewDeviceClock(10 * 60_000);
    clocks = device;
    stub = stubFetch(() => {
      const now = device.server();
      const cutoffAt = iso(now + 5 * 60_000);
      return json(
        promise({ generatedAt: iso(now), options: [option('a', '2026-11-24', '2026-11-24', 759, { cutoffAt })] }),
      );
    });
    const element = await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${API} key="k" sku="A" country="FR"
      locale="en"></delivery-promise>`);
    await waitUntil(() => part(element, 'headline').dataset.earliest === '2026-11-24');
    await aTimeout(100);
    expect(stub.calls.length).to.equal(1);
    expect(text(part(element, 'countdown'))).to.equal('Order within 5 min');
    for (const minutesLeft of [4, 3]) {
      device.advance(60_000);
      element.requestUpdate(); // what the countdown's minute tick does
      await element.updateComplete;
      await aTimeout(100);
      expect(text(part(element, 'countdown'))).to.equal(`Order within ${minutesLeft} min`);
    }
    expect(stub.calls.length).to.equal(1);
  });

  it('fetches again when the cut-off passes on the server clock, with the device clock 10 min behind', async () => {
    const device = skewDeviceClock(-10 * 60_000);
    clocks = device;
    let answers = 0;
    stub = stubFetch(() => {
      answers++;
      const now = device.server();
      const cutoffAt = answers === 1 ? iso(now + 1200) : null;
      const day = answers === 1 ? '2026-11-24' : '2026-11-25';
      return json(promise({ generatedAt: iso(now), options: [option('a', day, day, 759, { cutoffAt })] }));
    });
    const element = await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${API} key="k" sku="A" country="FR"
      locale="en"></delivery-promise>`);
    await waitUntil(() => part(element, 'headline').dataset.earliest === '2026-11-24');
    expect(text(part(element, 'countdown'))).to.equal('Order within 1 min');
    await waitUntil(() => part(element, 'headline').dataset.earliest === '2026-11-25', 'no refetch at the cut-off', {
      timeout: 4000,
    });
    expect(stub.calls.length).to.equal(2);
  });

  it('shows a plain sentence when the product is out of stock or not deliverable', async () => {
    stub = stubFetch((url) =>
      json(
        promise({
          status: 'unavailable',
          reason: url.searchParams.get('sku') === 'GONE' ? 'out_of_stock' : 'no_service',
          options: [],
        }),
      ),
    );
    const gone = await fixture<DeliveryPromiseElement>(
      html`<delivery-promise api=${API} key="k" sku="GONE" country="FR" locale="en"></delivery-promise>`,
    );
    await settled(gone);
    await gone.updateComplete;
    expect(text(part(gone, 'headline'))).to.equal('Currently out of stock.');
    const far = await fixture<DeliveryPromiseElement>(
      html`<delivery-promise api=${API} key="k" sku="FAR" country="JP" locale="en"></delivery-promise>`,
    );
    await settled(far);
    await far.updateComplete;
    expect(text(part(far, 'headline'))).to.equal('We cannot deliver to this address yet.');
  });

  it('falls back to a neutral sentence and fires dp-error when the API fails', async () => {
    stub = stubFetch(() => json({ code: 'internal_error', message: 'boom' }, 500));
    const element = await fixture<DeliveryPromiseElement>(
      html`<delivery-promise api=${API} key="k" sku="A" country="FR" locale="en"></delivery-promise>`,
    );
    const event = await oneEvent(element, 'dp-error');
    expect(event.detail).to.deep.equal({ code: 'internal_error', message: 'boom' });
    await element.updateComplete;
    expect(text(part(element, 'headline'))).to.equal('Delivery dates are not available right now.');
  });

  it('times out a slow API with dp-error code timeout', async () => {
    stub = stubFetch(() => new Promise<Response>(() => {}));
    const element = document.createElement('delivery-promise');
    element.timeoutMs = 150;
    Object.assign(element, { api: API, key: 'k', sku: 'A', country: 'FR', locale: 'en' });
    const errored = oneEvent(element, 'dp-error');
    document.body.append(element);
    expect((await errored).detail.code).to.equal('timeout');
    expect(stub.signals[0]?.aborted).to.equal(true);
    element.remove();
  });

  it('reports network_error when the API is down, without throwing into the page', async () => {
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent | PromiseRejectionEvent) => errors.push(event);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    const element = await fixture<DeliveryPromiseElement>(
      html`<delivery-promise api="http://127.0.0.1:9" key="k" sku="A" country="FR" locale="en"></delivery-promise>`,
    );
    const event = await oneEvent(element, 'dp-error');
    expect(event.detail.code).to.equal('network_error');
    await aTimeout(50);
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onError);
    expect(errors).to.have.length(0);
  });

  it('keeps its height while loading so nothing moves when the promise arrives', async () => {
    let release: (response: Response) => void = () => {};
    stub = stubFetch(() => new Promise<Response>((resolve) => (release = resolve)));
    const shifts: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!entry.hadRecentInput) shifts.push(entry.value);
      }
    });
    observer.observe({ type: 'layout-shift', buffered: false });
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 480px">
      <delivery-promise api=${API} key="k" sku="A" country="FR" postal-code="75011" locale="fr-FR" at="2026-11-23T09:00:00Z"></delivery-promise>
      <p id="below">Content below the element</p>
    </div>`);
    const element = wrapper.querySelector('delivery-promise') as DeliveryPromiseElement;
    await element.updateComplete;
    await aTimeout(50);
    const loadingHeight = element.getBoundingClientRect().height;
    release(
      json(
        promise({ options: [option('a', '2026-11-26', '2026-11-26', 759, { cutoffAt: '2026-11-23T13:00:00.000Z' })] }),
      ),
    );
    await settled(element);
    await element.updateComplete;
    await aTimeout(100);
    observer.disconnect();
    expect(element.getBoundingClientRect().height).to.equal(loadingHeight);
    expect(shifts.reduce((a, b) => a + b, 0)).to.equal(0);
  });

  it('is accessible (axe) once loaded', async () => {
    stub = stubFetch(() => json(promise()));
    const element = await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${API} key="k" sku="A" country="FR"
      postal-code="75011" locale="fr-FR" at="2026-11-23T09:00:00Z"></delivery-promise>`);
    await settled(element);
    await expect(element).to.be.accessible();
  });
});

describe('<delivery-promise> destination', () => {
  it('lets the shopper change the postal code in place, and every element follows', async () => {
    stub = stubFetch((url) => {
      const code = url.searchParams.get('postalCode');
      const day = code === '69001' ? '2026-11-27' : '2026-11-26';
      return json(promise({ options: [option('a', day, day, 759)] }));
    });
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <delivery-promise id="one" api=${API} key="k" sku="A" country="FR" postal-code="75011" locale="fr-FR"></delivery-promise>
      <delivery-promise id="two" api=${API} key="k" sku="B" country="FR" postal-code="75011" locale="fr-FR"></delivery-promise>
    </div>`);
    const one = wrapper.querySelector('#one') as DeliveryPromiseElement;
    const two = wrapper.querySelector('#two') as DeliveryPromiseElement;
    await waitUntil(() => part(one, 'headline').dataset.earliest === '2026-11-26');
    expect(text(part(one, 'postal-code'))).to.equal('Livraison à 75011 · modifier');

    (part(one, 'postal-code').querySelector('button') as HTMLButtonElement).click();
    await one.updateComplete;
    const input = one.shadowRoot?.querySelector('input[name="postalCode"]') as HTMLInputElement;
    expect(one.shadowRoot?.activeElement).to.equal(input);
    input.value = '69001';
    const form = one.shadowRoot?.querySelector('form') as HTMLFormElement;
    form.requestSubmit();

    for (const element of [one, two]) {
      await waitUntil(() => part(element, 'headline').dataset.earliest === '2026-11-27');
      expect(text(part(element, 'postal-code'))).to.equal('Livraison à 69001 · modifier');
    }
    expect(JSON.parse(localStorage.getItem('promesse:destination') ?? '{}')).to.deep.equal({
      country: 'FR',
      postalCode: '69001',
    });
    expect(stub.calls.at(-1)?.searchParams.get('postalCode')).to.equal('69001');

    // The page setting the attribute again takes over from the shopper's choice.
    one.setAttribute('postal-code', '13001');
    await waitUntil(() => stub?.calls.at(-1)?.searchParams.get('postalCode') === '13001');
  });

  it('remembers the chosen destination on the next page', async () => {
    localStorage.setItem('promesse:destination', JSON.stringify({ country: 'BE', postalCode: '1000' }));
    stub = stubFetch(() => json(promise()));
    await fixture(
      html`<delivery-promise api=${API} key="k" sku="A" country="FR" postal-code="75011" locale="fr-FR"></delivery-promise>`,
    );
    await waitUntil(() => stub?.calls.length === 1);
    expect(stub.calls[0]?.searchParams.get('country')).to.equal('BE');
    expect(stub.calls[0]?.searchParams.get('postalCode')).to.equal('1000');
  });
});

describe('<delivery-promise> in cart mode', () => {
  const cart = () =>
    fixture<DeliveryPromiseElement>(html`<delivery-promise api=${API} key="k" mode="cart" items="MUG-01:2,TEE-02:1"
      country="FR" postal-code="75011" locale="fr-FR" at="2026-11-23T09:00:00Z"></delivery-promise>`);

  it('lists the options as a labelled radio group with name, type, price, dates and tags', async () => {
    stub = stubFetch(() => json(promise()));
    const element = await cart();
    await settled(element);
    await element.updateComplete;
    expect(stub.calls[0]?.searchParams.get('items')).to.equal('MUG-01:2,TEE-02:1');
    const group = part(element, 'options');
    expect(group.tagName).to.equal('FIELDSET');
    expect(text(group.querySelector('legend'))).to.equal('Modes de livraison');
    const rows = [...(element.shadowRoot?.querySelectorAll('[part="option"]') ?? [])].map((row) =>
      text(row).replace(/\s/g, ' '),
    );
    expect(rows).to.deep.equal([
      'Service colissimo-home 7,59 € 26 novembre · À domicile Le plus rapide',
      'Service mr-relay 3,90 € 27–28 novembre · Point relais Le moins cher',
      'Service mr-locker 4,50 € 27–29 novembre · Consigne',
    ]);
    const more = element.shadowRoot?.querySelector('button.link') as HTMLButtonElement;
    expect(text(more)).to.equal('Voir 1 autre mode');
    more.click();
    await element.updateComplete;
    expect(element.shadowRoot?.querySelectorAll('[part="option"]').length).to.equal(4);
  });

  it('moves between options with the keyboard and fires dp-select', async () => {
    stub = stubFetch(() => json(promise()));
    const element = await cart();
    await settled(element);
    await element.updateComplete;
    expect(element.selectedOptionId).to.equal('colissimo-home');
    const first = element.shadowRoot?.querySelector('input[type="radio"]') as HTMLInputElement;
    first.focus();
    const selected = oneEvent(element, 'dp-select');
    await sendKeys({ press: 'ArrowDown' });
    expect((await selected).detail).to.deep.equal({ promiseId: 'prm_test.sig', optionId: 'mr-relay' });
    expect(element.selectedOptionId).to.equal('mr-relay');
    expect(text(part(element, 'headline'))).to.equal('Livraison estimée 27–28 novembre');
  });

  it('fits a 320 px column at 200 % text size without scrolling sideways', async () => {
    stub = stubFetch(() => json(promise()));
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 320px; font-size: 200%">
      <delivery-promise api=${API} key="k" mode="cart" items="A:1" country="FR" postal-code="75011" locale="fr-FR"
        at="2026-11-23T09:00:00Z"></delivery-promise>
    </div>`);
    const element = wrapper.querySelector('delivery-promise') as DeliveryPromiseElement;
    await settled(element);
    await element.updateComplete;
    for (const node of element.shadowRoot?.querySelectorAll<HTMLElement>('[part]') ?? []) {
      expect(node.getBoundingClientRect().right, `part ${node.getAttribute('part')}`).to.be.at.most(
        wrapper.getBoundingClientRect().right + 0.5,
      );
    }
    expect(wrapper.scrollWidth).to.be.at.most(320);
  });

  it('is accessible (axe)', async () => {
    stub = stubFetch(() => json(promise()));
    const element = await cart();
    await settled(element);
    await expect(element).to.be.accessible();
  });
});

describe('<delivery-promise> show-more plurals', () => {
  /** A cart whose promise has `count` options beyond the three shown. */
  async function cartHiding(count: number, locale: string) {
    const extra = Array.from({ length: count }, (_, i) => option(`extra-${i}`, '2026-11-30', '2026-11-30', 990));
    stub = stubFetch(() => json(promise({ options: [...promise().options.slice(0, 3), ...extra] })));
    const element = await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${API} key="k" mode="cart"
      items="A:1" country="FR" locale=${locale} at="2026-11-23T09:00:00Z"></delivery-promise>`);
    await settled(element);
    await waitUntil(() => element.shadowRoot?.querySelector('[part="options"] ~ p button.link'));
    return text(element.shadowRoot?.querySelector('[part="options"] ~ p button.link'));
  }

  const cases: [string, number, string][] = [
    ['fr-FR', 1, 'Voir 1 autre mode'],
    ['fr-FR', 2, 'Voir 2 autres modes'],
    ['en-GB', 1, 'Show 1 more option'],
    ['en-GB', 2, 'Show 2 more options'],
  ];
  for (const [locale, count, sentence] of cases) {
    it(`says "${sentence}" in ${locale} when ${count} option${count === 1 ? ' is' : 's are'} hidden`, async () => {
      expect(await cartHiding(count, locale)).to.equal(sentence);
    });
  }
});

describe('<delivery-promise> languages', () => {
  const cases: [string, string, string][] = [
    ['fr-FR', 'Livraison estimée jeudi 26 novembre', '7,59 €'],
    ['en-GB', 'Estimated delivery Thursday 26 November', '€7.59'],
    ['de-DE', 'Voraussichtliche Lieferung Donnerstag, 26. November', '7,59 €'],
    ['es-ES', 'Entrega estimada jueves, 26 de noviembre', '7,59 €'],
    ['it-IT', 'Consegna prevista giovedì 26 novembre', '7,59 €'],
    ['nl-NL', 'Verwachte levering donderdag 26 november', '€ 7,59'],
  ];
  for (const [locale, headline, price] of cases) {
    it(`formats dates and prices in ${locale}`, async () => {
      stub = stubFetch(() => json(promise()));
      const element =
        await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${API} key="k" mode="cart" items="A:1"
        country="FR" locale=${locale} at="2026-11-20T09:00:00Z"></delivery-promise>`);
      await settled(element);
      await waitUntil(
        () => text(part(element, 'headline')).length > 0 && !!element.shadowRoot?.querySelector('.option-price'),
      );
      expect(text(part(element, 'headline')).replace(/\s/g, ' ')).to.equal(headline);
      expect(text(element.shadowRoot?.querySelector('.option-price')).replace(/\s/g, ' ')).to.equal(price);
    });
  }

  it("uses the page's lang when the element has no locale", async () => {
    stub = stubFetch(() => json(promise()));
    document.documentElement.lang = 'de';
    try {
      const element = await fixture<DeliveryPromiseElement>(
        html`<delivery-promise api=${API} key="k" sku="A" country="FR" at="2026-11-20T09:00:00Z"></delivery-promise>`,
      );
      await settled(element);
      await waitUntil(() => text(part(element, 'headline')).startsWith('Voraussichtliche'));
      expect(stub.calls[0]?.searchParams.get('locale')).to.equal('de');
    } finally {
      document.documentElement.lang = 'en';
    }
  });
});

describe('<delivery-promise> network', () => {
  it('shares one request between identical elements on a page', async () => {
    stub = stubFetch(async () => {
      await aTimeout(50);
      return json(promise());
    });
    await fixture(html`<div>
      <delivery-promise api=${API} key="k" sku="A" country="FR" locale="en"></delivery-promise>
      <delivery-promise api=${API} key="k" sku="A" country="FR" locale="en"></delivery-promise>
    </div>`);
    await aTimeout(120);
    expect(stub.calls.length).to.equal(1);
  });

  it('aborts the older request when a newer one starts', async () => {
    stub = stubFetch(async (url) => {
      await aTimeout(url.searchParams.get('sku') === 'OLD' ? 300 : 10);
      return json(promise());
    });
    const element = await fixture<DeliveryPromiseElement>(
      html`<delivery-promise api=${API} key="k" sku="OLD" country="FR" locale="en"></delivery-promise>`,
    );
    await waitUntil(() => stub?.calls.length === 1);
    element.sku = 'NEW';
    await waitUntil(() => stub?.calls.length === 2);
    expect(stub.signals[0]?.aborted).to.equal(true);
    expect(stub.signals[1]?.aborted).to.equal(false);
  });

  it('defines itself once, even when the bundle is loaded twice', async () => {
    const first = customElements.get('delivery-promise');
    const again: string = './delivery-promise.ts?again'; // a second evaluation of the module, as a second script tag would
    await import(/* @vite-ignore */ again);
    expect(customElements.get('delivery-promise')).to.equal(first);
  });
});

/**
 * The README's snippet: a module script runs after the page is parsed, so a browser may paint the element before
 * it is defined; this keeps its loading height from the first frame (product mode 4.5rem, cart mode 22.375rem).
 */
const RESERVE =
  'delivery-promise:not(:defined){display:block;min-height:4.5rem}delivery-promise[mode=cart]:not(:defined){min-height:22.375rem}';

describe('<delivery-promise> against the real API', () => {
  it('shows the demo merchant promise for MUG-01 to Paris', async () => {
    const element =
      await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${window.PROMESSE_API} key="pk_test_demo"
      sku="MUG-01" country="FR" postal-code="75011" locale="fr-FR" at="2026-11-23T09:00:00Z"></delivery-promise>`);
    await oneEvent(element, 'dp-promise');
    await waitUntil(() => part(element, 'headline').dataset.earliest);
    const headline = part(element, 'headline');
    expect(headline.dataset.earliest).to.equal('2026-11-24');
    expect(text(headline)).to.equal('Livraison estimée demain, mardi 24 novembre');
    expect(text(part(element, 'countdown')).replace(/\s/g, ' ')).to.equal('Commandez dans les 6 h');
  });

  it('lists real options in cart mode, and fires dp-error for a bad key', async () => {
    const element =
      await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${window.PROMESSE_API} key="pk_test_demo"
      mode="cart" items="MUG-01:1,SCARF-14:1" country="FR" postal-code="75011" locale="en" at="2026-11-23T09:00:00Z"></delivery-promise>`);
    await oneEvent(element, 'dp-promise');
    await element.updateComplete;
    expect(element.promise?.options.every((o) => o.shipments.length === 2)).to.equal(true);
    expect(element.shadowRoot?.querySelectorAll('[part="option"]').length).to.be.greaterThan(0);
    const bad =
      await fixture<DeliveryPromiseElement>(html`<delivery-promise api=${window.PROMESSE_API} key="pk_test_nope"
      sku="MUG-01" country="FR"></delivery-promise>`);
    expect((await oneEvent(bad, 'dp-error')).detail.code).to.equal('unauthorized');
  });

  for (const [lang, mode] of [
    ['nl', 'cart'],
    ['fr', 'product'],
    ['de', 'product'],
  ] as const) {
    it(`shifts nothing on a bare page in ${lang} (${mode}) with the README's snippet, while the bundle and its language chunk load`, async () => {
      const frame = await fixture<HTMLIFrameElement>(
        html`<iframe title="bare page ${lang}" style="width: 600px; height: 800px"></iframe>`,
      );
      // The shifts are recorded inside the page from its first frame, before the bundle is even requested.
      frame.srcdoc = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><script>
        window.shifts = [];
        new PerformanceObserver((list) => { for (const e of list.getEntries()) { window.shifts.push(e.value); window.moved = (window.moved || []).concat(e.sources.map((s) => [s.node && s.node.textContent, Math.round(e.startTime), s.previousRect.y, s.currentRect.y])); } })
          .observe({ type: 'layout-shift', buffered: true });
        </script><style>${RESERVE}</style></head><body>
        <h1>Mug</h1>
        <script type="module" src="${window.PROMESSE_API}/widget/delivery-promise.js"></script>
        <delivery-promise key="pk_test_demo" mode="${mode}" sku="MUG-01" items="MUG-01:1" country="FR" postal-code="75011" at="2026-11-23T09:00:00Z"></delivery-promise>
        <p>Below the promise</p>
        </body></html>`;
      await waitUntil(
        () => {
          const root = frame.contentDocument?.querySelector('delivery-promise')?.shadowRoot;
          return Boolean(root?.querySelector('[part="headline"][data-earliest], [part="option"]'));
        },
        'the bundle did not render in a bare page',
        { timeout: 8000 },
      );
      await aTimeout(300);
      const shifts = (frame.contentWindow as unknown as { shifts: number[] }).shifts;
      const moved = (frame.contentWindow as unknown as { moved?: string[] }).moved;
      expect(
        shifts.reduce((a, b) => a + b, 0),
        `moved: ${JSON.stringify(moved)}`,
      ).to.equal(0);
    });
  }

  it('renders from a bare page with one script tag, served by the API', async () => {
    const frame = await fixture<HTMLIFrameElement>(
      html`<iframe title="bare page" style="width: 600px; height: 200px"></iframe>`,
    );
    frame.srcdoc = `<!doctype html><html lang="fr"><head><meta charset="utf-8"></head><body>
      <script type="module" src="${window.PROMESSE_API}/widget/delivery-promise.js"></script>
      <delivery-promise key="pk_test_demo" sku="MUG-01" country="FR" postal-code="75011" at="2026-11-23T09:00:00Z"></delivery-promise>
      </body></html>`;
    await waitUntil(
      () => {
        const element = frame.contentDocument?.querySelector('delivery-promise');
        return element?.shadowRoot?.querySelector('[part="headline"]')?.getAttribute('data-earliest') === '2026-11-24';
      },
      'the bundle did not render in a bare page',
      { timeout: 8000 },
    );
    const element = frame.contentDocument?.querySelector('delivery-promise');
    expect(text(element?.shadowRoot?.querySelector('[part="headline"]'))).to.equal(
      'Livraison estimée demain, mardi 24 novembre',
    );
  });
});
