/// <reference types="mocha" />
import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { CountdownController } from './countdown-controller.ts';

/** A host as Lit's ReactiveControllerHost, counting the updates it is asked for. */
function host(at?: string) {
  return {
    at,
    updates: 0,
    addController() {},
    removeController() {},
    requestUpdate() {
      this.updates++;
    },
    updateComplete: Promise.resolve(true),
  };
}

/** A countdown to `cutoff` (ms, or null), counting the refetches it asks for. */
function countdown(element: ReturnType<typeof host>, cutoff: number | null) {
  const calls = { cutoffs: 0 };
  const controller = new CountdownController(element, { cutoff: () => cutoff, onCutoff: () => calls.cutoffs++ });
  return { controller, calls };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('CountdownController', () => {
  it("runs on the server's clock: an answer generated 10 min ahead of the device puts now 10 min ahead", () => {
    const { controller } = countdown(host(), null);
    controller.syncWith(iso(Date.now() + 10 * 60_000));
    controller.hostUpdate();
    expect(controller.now - Date.now()).to.be.within(10 * 60_000 - 1000, 10 * 60_000 + 1000);
  });

  it('keeps the at instant as now and ignores the server clock', () => {
    const at = '2026-11-23T09:00:00Z';
    const { controller } = countdown(host(at), null);
    controller.syncWith(iso(Date.now() + 10 * 60_000));
    controller.hostUpdate();
    expect(controller.now).to.equal(Date.parse(at));
  });

  it('wakes the host at the next minute boundary while a cut-off is ahead', async () => {
    const element = host();
    const { controller, calls } = countdown(element, Date.now() + 2 * 60_000 + 50);
    controller.hostUpdated();
    await waitUntil(() => element.updates === 1, 'no tick at the minute boundary', { timeout: 1000 });
    expect(calls.cutoffs).to.equal(0);
  });

  it('fetches again, with no tick, once the cut-off has passed', async () => {
    const element = host();
    const { controller, calls } = countdown(element, Date.now() - 1);
    controller.hostUpdated();
    expect(calls.cutoffs).to.equal(1);
    await aTimeout(100);
    expect(element.updates).to.equal(0);
  });

  it('judges the cut-off on the server clock when the device clock is 10 min ahead', () => {
    // 5 min past on the device's clock, 5 min ahead on the server's
    const { controller, calls } = countdown(host(), Date.now() - 5 * 60_000);
    controller.syncWith(iso(Date.now() - 10 * 60_000));
    controller.hostUpdated();
    expect(calls.cutoffs).to.equal(0);
    controller.hostDisconnected();
  });

  it('neither ticks nor fetches again with an at instant, even past the cut-off', async () => {
    const element = host('2026-11-23T09:00:00Z');
    const { controller, calls } = countdown(element, Date.parse('2026-11-23T08:00:00Z'));
    controller.hostUpdated();
    await aTimeout(100);
    expect(calls.cutoffs).to.equal(0);
    expect(element.updates).to.equal(0);
  });

  it('clears its timer when the host disconnects', async () => {
    const element = host();
    const { controller } = countdown(element, Date.now() + 50);
    controller.hostUpdated();
    controller.hostDisconnected();
    await aTimeout(200);
    expect(element.updates).to.equal(0);
  });
});
