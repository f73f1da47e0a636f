/**
 * Builds the element into one ES module, Lit included: widget/dist/delivery-promise.js, plus an immutable alias
 * named by its content hash and a manifest the API and the size test read.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { transform as transformCss } from 'lightningcss';
import { defineConfig, minifySync, type Plugin, parseSync, Visitor } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));
const outDir = join(root, 'dist');

/** Library mode keeps whitespace in ES output; the element ships fully minified (oxc, through Vite). */
function minifyModule(): Plugin {
  return {
    name: 'promesse-minify-module',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk')
          chunk.code = minifySync(chunk.fileName, chunk.code, { compress: true, mangle: true }).code;
      }
    },
  };
}

/** Minifies the CSS inside css`…` in *.styles.ts (the JS minifier leaves template text alone). */
function minifyStyles(): Plugin {
  return {
    name: 'promesse-minify-styles',
    transform(code, id) {
      if (!id.endsWith('.styles.ts')) return null;
      return code.replace(/css`([^`]*)`/g, (_whole, text: string) => {
        const { code: minified } = transformCss({ filename: 'styles.css', code: Buffer.from(text), minify: true });
        return `css\`${minified.toString()}\``;
      });
    },
  };
}

/**
 * Drops the indentation after each newline inside html`…` templates, which the JS minifier leaves as it is: it is
 * HTML whitespace the browser collapses, so the element renders the same (the newline stays between words).
 */
function minifyTemplates(): Plugin {
  return {
    name: 'promesse-minify-templates',
    transform(code, id) {
      if (!id.includes('/widget/src/') || id.endsWith('.styles.ts')) return null;
      const quasis: { start: number; end: number }[] = [];
      new Visitor({
        TaggedTemplateExpression(node) {
          if (node.tag.type === 'Identifier' && node.tag.name === 'html') quasis.push(...node.quasi.quasis);
        },
      }).visit(parseSync(id, code).program);
      let out = code;
      for (const { start, end } of quasis.sort((a, b) => b.start - a.start)) {
        out = out.slice(0, start) + out.slice(start, end).replace(/\n[ \t]+/g, '\n') + out.slice(end);
      }
      return out;
    },
  };
}

function hashedAlias(): Plugin {
  return {
    name: 'promesse-hashed-alias',
    closeBundle() {
      const file = join(outDir, 'delivery-promise.js');
      const code = readFileSync(file);
      const hash = createHash('sha256').update(code).digest('hex').slice(0, 10);
      const hashed = `delivery-promise.${hash}.js`;
      copyFileSync(file, join(outDir, hashed));
      const manifest = {
        file: 'delivery-promise.js',
        hashed,
        bytes: code.length,
        gzipBytes: gzipSync(code, { level: 9 }).length,
      };
      writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    },
  };
}

export default defineConfig({
  root,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: join(root, 'src/delivery-promise/delivery-promise.ts'),
      formats: ['es'],
      fileName: () => 'delivery-promise.js',
    },
  },
  plugins: [minifyStyles(), minifyTemplates(), minifyModule(), hashedAlias()],
});
