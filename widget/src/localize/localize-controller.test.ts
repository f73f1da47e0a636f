/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { LocalizeController } from './localize-controller.ts';

/** A host as Lit's ReactiveControllerHost, counting the updates it is asked for. */
function host(locale?: string) {
  return {
    locale,
    updates: 0,
    addController() {},
    removeController() {},
    requestUpdate() {
      this.updates++;
    },
    updateComplete: Promise.resolve(true),
  };
}

/** A controller whose language table has loaded, as the element has it when it renders the promise. */
async function localized(locale: string) {
  const element = host(locale);
  const controller = new LocalizeController(element);
  controller.hostUpdate();
  if (!controller.ready) await waitUntil(() => element.updates > 0, `no ${locale} table`);
  controller.hostUpdate();
  return controller;
}

describe('LocalizeController', () => {
  it('shows placeholders while the language table loads, then updates the host once it has arrived', async () => {
    const element = host('nl-NL');
    const controller = new LocalizeController(element);
    controller.hostUpdate();
    expect(controller.ready).to.equal(false);
    await waitUntil(() => element.updates === 1, 'the host was not updated');
    controller.hostUpdate();
    expect(controller.ready).to.equal(true);
    expect(controller.strings.apply).to.equal('Toepassen');
  });

  it('falls back to English, with no wait, for a language without a table', () => {
    const controller = new LocalizeController(host('ja-JP'));
    controller.hostUpdate();
    expect(controller.ready).to.equal(true);
    expect(controller.strings.apply).to.equal('Update');
    expect(controller.locale).to.equal('ja-JP');
  });

  it("takes the page's lang when the host has no locale", () => {
    document.documentElement.lang = 'de-AT';
    try {
      expect(new LocalizeController(host()).locale).to.equal('de-AT');
    } finally {
      document.documentElement.lang = 'en';
    }
  });

  it('skips a locale that is not a language tag', () => {
    expect(new LocalizeController(host('not a tag!')).locale).to.equal('en');
  });

  const plurals: [string, string, string][] = [
    ['en', 'Show 1 more option', 'Show 2 more options'],
    ['fr', 'Voir 1 autre mode', 'Voir 2 autres modes'],
    ['de', '1 weitere Versandart', '2 weitere Versandarten'],
    ['es', 'Ver 1 opción más', 'Ver 2 opciones más'],
    ['it', "Mostra un'altra modalità", 'Mostra altre 2 modalità'],
    ['nl', 'Toon 1 andere optie', 'Toon 2 andere opties'],
  ];
  for (const [locale, one, two] of plurals) {
    it(`says "${one}" for 1 and "${two}" for 2 in ${locale}`, async () => {
      const controller = await localized(locale);
      expect(controller.plural(controller.strings.showMore, 1)).to.equal(one);
      expect(controller.plural(controller.strings.showMore, 2)).to.equal(two);
    });
  }

  it('uses the singular for 0 in French, as Intl.PluralRules does', async () => {
    const controller = await localized('fr-FR');
    expect(controller.plural(controller.strings.showMore, 0)).to.equal('Voir 0 autre mode');
  });

  it('falls back to the other form for a category the sentence does not give', async () => {
    const controller = await localized('fr-FR');
    expect(controller.plural({ other: '{count} modes' }, 1)).to.equal('1 modes');
  });

  it('formats a free price with the table word and others in minor units of the currency', async () => {
    const controller = await localized('fr-FR');
    expect(controller.price(0, 'EUR')).to.equal('Gratuit');
    expect(controller.price(759, 'EUR').replace(/\s/g, ' ')).to.equal('7,59 €');
    expect(controller.price(759, 'JPY').replace(/\s/g, ' ')).to.equal('759 JPY');
  });

  it('rounds the countdown up to the minute and drops zero minutes after whole hours', async () => {
    const controller = await localized('en');
    expect(controller.countdown(1)).to.equal('1 min');
    expect(controller.countdown((2 * 60 + 13) * 60_000 - 30_000)).to.equal('2 hr 13 min');
    expect(controller.countdown(6 * 3_600_000)).to.equal('6 hr');
  });
});
