/**
 * Builds the merchant console (CONTRACT §10) into console/dist, served by the API at /console/: its own bundle,
 * never loaded by storefronts. Lit and uPlot are bundled; file names carry a content hash.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  logLevel: 'warn',
  build: { outDir: join(root, 'dist'), emptyOutDir: true, target: 'es2022' },
});
