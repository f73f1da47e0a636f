/**
 * The promesse command:
 *   promesse serve                    start the API (what `npm start` runs)
 *   promesse worker                   run the outbox relay only (labels, webhooks), e.g. more workers on PostgreSQL
 *   promesse check-config FILE|DIR    validate merchant configs and list every problem
 *   promesse promise --items MUG-01:1 --country FR [--postal-code 75011] [--at ISO] [--config FILE] [--merchant ID]
 *                                     compute a promise from the config's seed stock and print it as JSON
 *   promesse history import FILE [--merchant ID]
 *                                     keep past deliveries (CSV or JSON lines) in the store for promises to learn from
 *   promesse hash-password            read a password on standard input, print its hash for `users[].passwordHash`
 *   promesse backtest --config FILE --history FILE --split YYYY-MM-DD [--merchant ID]
 *                                     learn from the history dispatched before the split, promise the rest, print
 *                                     {train, test, onTimeRate, withinRangeRate, meanRangeDays, meanLatestDays}
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadMerchantConfigs } from './config/load-config.ts';
import { hashPassword } from './console/passwords.ts';
import { backtestFile } from './history/backtest.ts';
import { importHistory, readHistoryFile } from './history/read-history.ts';
import { seedLevels, stockViewOf } from './promise/availability.ts';
import { computePromise, merchantCaches } from './promise/compute-promise.ts';
import { parseInstant } from './promise/instant.ts';
import { dayFromIso } from './promise/local-date.ts';
import { compileMerchant } from './promise/merchant.ts';
import { parseItems } from './routes/v1/promise-query.ts';
import { openStore, startServer, startWorker } from './server.ts';
import { SettingsError, settingsFromEnv } from './settings.ts';

/**
 * Reads one password from standard input (typed, not echoed, at a terminal; or piped) and prints its hash. The
 * password never goes on the command line, where `ps` and the shell's history would keep it.
 */
async function hashPasswordCommand(): Promise<number> {
  const input = process.stdin;
  const typed = input.isTTY;
  if (typed) process.stderr.write('Password: ');
  const password = await new Promise<string>((resolve) => {
    let text = '';
    if (typed) input.setRawMode(true);
    input.setEncoding('utf8');
    const done = () => {
      if (typed) input.setRawMode(false);
      input.pause();
      resolve(text);
    };
    input.on('data', (chunk: string) => {
      for (const char of chunk) {
        if (char === '\n' || char === '\r' || char === '\u0004') return done();
        if (char === '\u0003') process.exit(130);
        text = char === '\u007f' ? text.slice(0, -1) : text + char;
      }
    });
    input.on('end', done);
  });
  if (typed) process.stderr.write('\n');
  if (password.length < 12) {
    console.error('a console password needs at least 12 characters');
    return 2;
  }
  console.log(await hashPassword(password));
  return 0;
}

const USAGE = `usage:
  promesse serve
  promesse worker                       (outbox relay only: labels, webhooks; several may share one PostgreSQL)
  promesse check-config FILE|DIR
  promesse promise --items SKU:QTY[,…] --country CC [--postal-code CODE] [--at ISO] [--config PATH] [--merchant ID]
  promesse history import FILE(.csv|.jsonl) [--merchant ID]   (into the store PROMESSE_DATA_DIR or DATABASE_URL names)
  promesse hash-password                (reads the password on standard input; prints users[].passwordHash)
  promesse backtest --config PATH --history FILE(.csv|.jsonl) --split YYYY-MM-DD [--merchant ID]`;

function checkConfig(path: string | undefined): number {
  if (!path) {
    console.error(USAGE);
    return 2;
  }
  const merchants = loadMerchantConfigs(path, process.env);
  for (const { file, config } of merchants) console.log(`ok  ${file}: merchant "${config.merchant.id}"`);
  return 0;
}

function promiseCommand(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      items: { type: 'string' },
      country: { type: 'string' },
      'postal-code': { type: 'string' },
      at: { type: 'string' },
      config: { type: 'string' },
      merchant: { type: 'string' },
    },
  });
  if (!values.items || !values.country) {
    console.error(USAGE);
    return 2;
  }
  const found = merchantOf(values.config ?? settingsFromEnv(process.env).configPath, values.merchant);
  if (!found) return 2;
  const now = values.at ? parseInstant(values.at) : Date.now();
  if (now === null) {
    console.error(`--at: not an ISO instant: ${values.at}`);
    return 2;
  }
  const merchant = compileMerchant(found.config);
  const stock = stockViewOf(seedLevels(found.config.inventory ?? []));
  const request = {
    lines: parseItems(values.items),
    country: values.country.toUpperCase(),
    postalCode: values['postal-code'] ?? null,
  };
  const result = computePromise(request, { now, merchant, stock, ...merchantCaches(merchant) });
  console.log(JSON.stringify(result, null, 2));
  return 0;
}

function merchantOf(configPath: string, id: string | undefined) {
  const loaded = loadMerchantConfigs(configPath, process.env);
  const found = id ? loaded.find((m) => m.config.merchant.id === id) : loaded[0];
  if (!found) console.error(`no merchant "${id}"`);
  return found;
}

async function backtestCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      history: { type: 'string' },
      split: { type: 'string' },
      merchant: { type: 'string' },
    },
  });
  const split = values.split ? dayFromIso(values.split) : null;
  if (!values.config || !values.history || split === null) {
    if (values.split && split === null) console.error(`--split: not a date (YYYY-MM-DD): ${values.split}`);
    console.error(USAGE);
    return 2;
  }
  const found = merchantOf(values.config, values.merchant);
  if (!found) return 2;
  const { result, problems, refused } = await backtestFile(
    compileMerchant(found.config),
    readHistoryFile(values.history),
    split,
  );
  for (const p of problems) console.error(`line ${p.line}: ${p.field || 'line'}: ${p.code}`);
  if (refused > 0) console.error(`${refused} line(s) left out`);
  console.log(JSON.stringify(result));
  return 0;
}

async function historyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { merchant: { type: 'string' } },
  });
  const [verb, file] = positionals;
  if (verb !== 'import' || !file) {
    console.error(USAGE);
    return 2;
  }
  const settings = settingsFromEnv(process.env);
  const found = merchantOf(settings.configPath, values.merchant);
  if (!found) return 2;
  const merchant = compileMerchant(found.config);
  const store = openStore(settings);
  try {
    await store.migrate();
    const counts = await importHistory(
      readHistoryFile(file),
      merchant,
      (batch) => store.addTransitObservations(merchant.id, batch, 'import'),
      (p) => console.error(`line ${p.line}: ${p.field || 'line'}: ${p.code}`),
    );
    console.log(JSON.stringify(counts));
  } finally {
    await store.close();
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      await startServer(settingsFromEnv(process.env));
      return -1; // keeps running
    case 'worker':
      await startWorker(settingsFromEnv(process.env));
      return -1;
    case 'check-config':
      return checkConfig(rest[0]);
    case 'promise':
      return promiseCommand(rest);
    case 'backtest':
      return backtestCommand(rest);
    case 'history':
      return historyCommand(rest);
    case 'hash-password':
      return hashPasswordCommand();
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    // A bad config or setting is the operator's to fix: its message names what and where, a stack adds nothing.
    if (error instanceof ConfigError || error instanceof SettingsError) console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    // Exit now: a half-started server (its port taken) must not linger with timers or connections open.
    process.exit(1);
  },
);
