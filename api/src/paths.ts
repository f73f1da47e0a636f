/**
 * Where the project's files are, whether the API runs from its TypeScript sources (`tsx api/src/…`) or from the
 * compiled build (`node dist/api/src/…`): the nearest folder above this module holding the project's
 * package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(from: string): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'promesse') {
      return folder;
    }
    if (dirname(folder) === folder) throw new Error(`no promesse package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, from its root: `projectPath('demo', 'merchant.yaml')`. */
export const projectPath = (...parts: string[]) => join(PROJECT_ROOT, ...parts);
