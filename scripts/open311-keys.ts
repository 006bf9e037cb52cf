/**
 * Open311 API keys (POST requests needs one), from the command line (no prompts):
 *   npm run open311-keys -- create --name "City app"     prints the new key once; only its SHA-256 is stored
 *   npm run open311-keys -- list [--json]
 *   npm run open311-keys -- disable --id key-0123456789ab
 *   npm run open311-keys -- enable --id key-0123456789ab
 * (`keys` may precede the command: `npm run open311-keys -- keys list`.) Keys may also be given to the
 * server in OPEN311_API_KEYS (comma-separated); those are not in the store and not listed here.
 * Uses the same store as the server (DATABASE_URL, else the embedded store in DATA_DIR; stop a
 * server using the embedded store first). Exit code 0: done; 1: failed; 2: bad usage.
 */
import { parseArgs } from 'node:util';
import { readConfig } from '../server/config.ts';
import { openConfiguredStore } from '../server/store/open-configured-store.ts';
import { createOpen311KeyService, Open311KeyError } from '../server/services/open311-keys.service.ts';

const USAGE = `usage: npm run open311-keys -- [keys] <command> [options]
  create --name "City app"     a new key, printed once
  list [--json]
  disable --id ID
  enable --id ID`;

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      id: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  usage((error as Error).message);
}
const { values } = parsed;
const positionals = parsed.positionals[0] === 'keys' ? parsed.positionals.slice(1) : parsed.positionals;
const command = positionals[0];
if (values.help) usage();
if (!command || positionals.length > 1 || !['create', 'list', 'disable', 'enable'].includes(command)) usage(command ? `unknown command "${positionals.join(' ')}"` : undefined);
if (command === 'create' && !values.name) usage('create needs --name (who holds the key: "City app")');
if ((command === 'disable' || command === 'enable') && !values.id) usage(`${command} needs --id (see list)`);

async function main(): Promise<number> {
  const config = readConfig();
  // A fresh store gets the reference data first, as the server would.
  const store = await openConfiguredStore(config, { referenceData: (line) => console.error(line) });
  try {
    const keys = createOpen311KeyService({ store });
    switch (command) {
      case 'create': {
        const { key, apiKey } = await keys.create(values.name!);
        console.log(`created ${apiKey.id} for "${apiKey.name}"`);
        console.log(`key: ${key}\n(shown once: only its hash is stored; clients send it as api_key when they POST requests)`);
        break;
      }
      case 'list': {
        const all = await keys.list();
        if (values.json) console.log(JSON.stringify(all));
        else {
          if (all.length === 0) console.log('no keys');
          for (const k of all) console.log([k.id.padEnd(18), k.disabled ? 'disabled' : 'active  ', k.createdAt.toISOString().slice(0, 19).replace('T', ' '), k.name].join('  '));
        }
        break;
      }
      case 'disable':
      case 'enable': {
        if (!(await keys.setDisabled(values.id!, command === 'disable'))) {
          console.error(`no key ${values.id} (see list; keys from OPEN311_API_KEYS are not in the store)`);
          return 1;
        }
        console.log(`${values.id} ${command === 'disable' ? 'disabled: POST requests refuses it from now on' : 'enabled'}`);
        break;
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof Open311KeyError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
