/**
 * Accounts of the command centre, from the command line (no prompts):
 *   npm run accounts -- create --username u --name "王芳" --role street-dispatcher --street 110108016 [--person P001551] [--department code] [--password-stdin]
 *   npm run accounts -- list [--json]
 *   npm run accounts -- disable --username u        (ends its sessions)
 *   npm run accounts -- enable --username u
 *   npm run accounts -- reset-password --username u [--password-stdin]   (ends its sessions)
 * Without --password-stdin a strong random password is generated and printed once; only its hash
 * is stored. Roles: district-dispatcher, street-dispatcher, grid-worker, department-staff, verifier,
 * analyst, admin. Uses the same store as the server (DATABASE_URL, else the embedded store in
 * DATA_DIR; stop a server using the embedded store first). Exit code 0: done; 1: failed; 2: bad usage.
 */
import { parseArgs } from 'node:util';
import { ROLES } from '../core/access/actor.ts';
import { readConfig } from '../server/config.ts';
import { openConfiguredStore } from '../server/store/open-configured-store.ts';
import { AccountError, createAuthService, generatePassword } from '../server/services/auth.service.ts';

const USAGE = `usage: npm run accounts -- <command> [options]
  create --username U --name "Display Name" --role ROLE [--street CODE] [--person ID] [--department CODE] [--password-stdin]
  list [--json]
  disable --username U
  enable --username U
  reset-password --username U [--password-stdin]
roles: ${ROLES.join(', ')}`;

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
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      street: { type: 'string' },
      person: { type: 'string' },
      department: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  usage((error as Error).message);
}
const { values, positionals } = parsed;
const command = positionals[0];
if (values.help) usage();
if (!command || positionals.length > 1 || !['create', 'list', 'disable', 'enable', 'reset-password'].includes(command)) usage(command ? `unknown command "${positionals.join(' ')}"` : undefined);
if (command !== 'list' && !values.username) usage(`${command} needs --username`);
if (command === 'create' && (!values.name || !values.role)) usage('create needs --name and --role');

/** The password from standard input (a pipe or a redirect): its first line, without the line end. */
async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) usage('--password-stdin reads a pipe or a file (echo … | npm run accounts -- …), not the terminal');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function main(): Promise<number> {
  const password = command === 'create' || command === 'reset-password' ? (values['password-stdin'] ? await passwordFromStdin() : generatePassword()) : undefined;
  const config = readConfig();
  // Accounts refer to streets, departments and roster people: a fresh store gets the reference data first.
  const store = await openConfiguredStore(config, { referenceData: (line) => console.error(line) });
  try {
    const auth = createAuthService({ store });
    const generated = !values['password-stdin'];
    switch (command) {
      case 'create': {
        const account = await auth.createAccount({
          username: values.username!,
          displayName: values.name!,
          role: values.role!,
          personId: values.person,
          streetCode: values.street,
          departmentCode: values.department,
          password: password!,
        });
        const scope = [account.streetCode && `street ${account.streetCode}`, account.departmentCode && `department ${account.departmentCode}`, account.personId && `person ${account.personId}`].filter(Boolean);
        console.log(`created ${account.username} (${account.role}${scope.length > 0 ? `, ${scope.join(', ')}` : ''})`);
        if (generated) console.log(`password: ${password}\n(shown once: only its hash is stored)`);
        break;
      }
      case 'list': {
        const accounts = await auth.listAccounts();
        if (values.json) console.log(JSON.stringify(accounts));
        else {
          if (accounts.length === 0) console.log('no accounts');
          for (const a of accounts) {
            const scope = [a.streetCode, a.departmentCode, a.personId].filter(Boolean).join(' ');
            console.log([a.username.padEnd(28), a.role.padEnd(20), a.disabled ? 'disabled' : 'active  ', a.displayName, scope && `[${scope}]`].filter(Boolean).join('  '));
          }
        }
        break;
      }
      case 'disable':
      case 'enable': {
        const account = await auth.setDisabled(values.username!, command === 'disable');
        console.log(`${account.username} ${command === 'disable' ? 'disabled; its sessions are ended' : 'enabled'}`);
        break;
      }
      case 'reset-password': {
        const account = await auth.resetPassword(values.username!, password!);
        console.log(`new password set for ${account.username}; its sessions are ended`);
        if (generated) console.log(`password: ${password}\n(shown once: only its hash is stored)`);
        break;
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof AccountError) {
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
