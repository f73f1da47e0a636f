/**
 * Reads merchant configs from `PROMESSE_CONFIG`: one JSON or YAML file, or a folder of them (one merchant each).
 * Any problem in any file stops the start with the full list.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { MerchantConfig } from '../../../shared/src/config.ts';
import { projectPath } from '../paths.ts';
import { type Environment, withEnvironment } from './environment.ts';
import { configuredKeyHash } from './key-hash.ts';
import { validateMerchantConfig } from './validate-config.ts';

/** The bundled demo merchant, used when `PROMESSE_CONFIG` is not set. */
export const DEMO_CONFIG_PATH = projectPath('demo', 'merchant.yaml');

const CONFIG_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid merchant config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadedMerchant {
  file: string;
  config: MerchantConfig;
}

function configFiles(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new ConfigError([`${path}: no such file or folder`]);
  if (stat.isFile()) return [path];
  const files = readdirSync(path)
    .filter((name) => CONFIG_EXTENSIONS.has(extname(name).toLowerCase()) && !name.startsWith('.'))
    .sort()
    .map((name) => join(path, name));
  if (files.length === 0) throw new ConfigError([`${path}: no .json, .yaml or .yml file in this folder`]);
  return files;
}

function parseFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
}

/**
 * Loads and validates every merchant at `path`, its `"${NAME}"` strings read from `env` (the process
 * environment, which only server.ts and cli.ts read); throws a ConfigError listing every problem of every file.
 */
export function loadMerchantConfigs(path: string = DEMO_CONFIG_PATH, env: Environment = {}): LoadedMerchant[] {
  const files = configFiles(resolve(path));
  const problems: string[] = [];
  const loaded: LoadedMerchant[] = [];
  for (const file of files) {
    const prefix = files.length > 1 ? `${basename(file)}: ` : '';
    let value: unknown;
    try {
      value = parseFile(file);
    } catch (error) {
      problems.push(`${prefix}(file): cannot parse: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    const resolved = withEnvironment(value, env);
    if (resolved.problems.length > 0) {
      problems.push(...resolved.problems.map((p) => prefix + p));
      continue;
    }
    value = resolved.value;
    const fileProblems = validateMerchantConfig(value);
    problems.push(...fileProblems.map((p) => prefix + p));
    if (fileProblems.length === 0) loaded.push({ file, config: value as MerchantConfig });
  }
  const merchantIds = new Map<string, string>();
  // Keys compare by hash, so that a key given plain in one file and as its keyHash in another is one key.
  const keyPlaces = new Map<string, string>();
  for (const { file, config } of loaded) {
    const other = merchantIds.get(config.merchant.id);
    if (other)
      problems.push(`${basename(file)}: merchant.id: "${config.merchant.id}" is also used by ${basename(other)}`);
    merchantIds.set(config.merchant.id, file);
    config.keys.forEach((key, i) => {
      const hash = configuredKeyHash(key);
      const first = keyPlaces.get(hash);
      if (first === undefined) keyPlaces.set(hash, `${basename(file)} keys[${i}]`);
      else problems.push(`${basename(file)}: keys[${i}]: the same key as ${first}`);
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}
