// Takes the README's screenshots of the demo storefront with Debian's Chromium (puppeteer-core, no download).
// Usage: npm start (in another shell), then: node demo/screenshot.mjs [http://127.0.0.1:8787]
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS, requireChromium } from '../widget/chromium.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8787';
const browser = await puppeteer.launch({
  executablePath: requireChromium(),
  args: CHROMIUM_FLAGS,
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 760 });
  await page.goto(`${base}/demo/`);
  await page.evaluate(() => {
    localStorage.setItem('demo:at', '2026-11-23T10:47:00.000Z');
    localStorage.setItem(
      'demo:cart',
      JSON.stringify([
        { sku: 'MUG-01', quantity: 2 },
        { sku: 'SCARF-14', quantity: 1 },
      ]),
    );
    localStorage.removeItem('promesse:destination');
  });
  await page.goto(`${base}/demo/product.html?sku=MUG-01`, { waitUntil: 'networkidle0' });
  await page.screenshot({ path: 'demo/screenshot-product.png' });
  await page.goto(`${base}/demo/cart.html`, { waitUntil: 'networkidle0' });
  await page.screenshot({ path: 'demo/screenshot-cart.png' });
  console.log('wrote demo/screenshot-product.png and demo/screenshot-cart.png');
} finally {
  await browser.close();
}
