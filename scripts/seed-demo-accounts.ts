/**
 * Creates (or resets) one demo account per role in the configured store and prints the
 * passwords: `npm run demo` runs it before the server opens the store. The server never prints them.
 */
import { readConfig } from '../server/config.ts';
import { openConfiguredStore } from '../server/store/open-configured-store.ts';
import { seedDemoAccounts } from '../server/auth/demo-accounts.ts';
import { createAuthService } from '../server/services/auth.service.ts';

const config = readConfig();
const store = await openConfiguredStore(config, { referenceData: (line) => console.log(line) });
try {
  const accounts = await seedDemoAccounts(store, createAuthService({ store }), { resetPasswords: true });
  console.log('demo accounts (sign in at /, or POST /api/session); these passwords are shown only here:');
  for (const a of accounts) console.log(`  ${a.role.padEnd(20)} ${a.username.padEnd(28)} ${a.password}`);
} finally {
  await store.close();
}
