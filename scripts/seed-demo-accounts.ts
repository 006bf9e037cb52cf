/**
 * Creates (or resets) one demo account per role in the configured store and prints the
 * passwords: `npm run demo` runs it before the server opens the store. The server never prints them.
 */
import { readConfig } from '../server/config.ts';
import { seedDemoAccounts } from '../server/auth/demo-accounts.ts';
import { readReferenceData } from '../server/reference/read-reference-data.ts';
import { createAuthService } from '../server/services/auth.service.ts';
import { ensureReferenceData } from '../server/services/reference-data.service.ts';
import { createStore } from '../server/store/create-store.ts';
import { openPgClient } from '../server/store/pg/open-pg-client.ts';
import { openPgliteClient } from '../server/store/pglite/open-pglite-client.ts';

const config = readConfig();
const store = await createStore(config.databaseUrl ? await openPgClient(config.databaseUrl, 2) : await openPgliteClient(config.dataDir));
try {
  await ensureReferenceData(store, () => readReferenceData(config.geodataDir), (line) => console.log(line));
  const accounts = await seedDemoAccounts(store, createAuthService({ store }), { resetPasswords: true });
  console.log('demo accounts (sign in at /, or POST /api/session); these passwords are shown only here:');
  for (const a of accounts) console.log(`  ${a.role.padEnd(20)} ${a.username.padEnd(28)} ${a.password}`);
} finally {
  await store.close();
}
