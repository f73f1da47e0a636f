// Takes the README's screenshots of the demo storefront with Debian's Chromium (puppeteer-core, no download).
// Usage: npm start (in another shell), then: node demo/screenshot.mjs [http://127.0.0.1:8787]
import puppeteer from 'puppeteer-core';

const base = process.argv[2] ?? 'http://127.0.0.1:8787';
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
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
