import type { Role } from '../../core/access/actor.ts';
import { generatePassword, type AuthService, type NewAccountInput } from '../services/auth.service.ts';
import type { Store } from '../store/store.ts';

/** The street/town the demo's street-scoped accounts belong to: 香山街道 of the reference roster. */
export const DEMO_STREET = '110108016';
const DEMO_DEPARTMENT = 'urban-enforcement';
const GRID_WORKER_DEPARTMENTS = ['street-office', 'city-supervision'];

export interface DemoAccount {
  readonly username: string;
  readonly role: Role;
  /** Shown once: only its hash is stored. */
  readonly password: string;
}

export interface SeedDemoOptions {
  /** Give demo accounts that already exist a new password too (they are then listed as well). */
  readonly resetPasswords?: boolean;
}

/**
 * One account per role, `demo-<role>`, scoped from the stored roster: the street dispatcher of
 * 香山街道 (110108016, or the first street/town when an imported geography lacks it), a grid worker
 * (网格员) and a department staff member (城管大队 when it has someone there) who are roster people
 * of that street. Accounts that exist are left alone (with `resetPasswords`, their password is
 * renewed). Returns the accounts created (or renewed) with their random passwords, for the caller
 * to show once; nothing is printed or logged here.
 */
export async function seedDemoAccounts(store: Pick<Store, 'accounts'>, auth: AuthService, options: SeedDemoOptions = {}): Promise<DemoAccount[]> {
  const accounts = store.accounts;
  let streetCode: string | undefined;
  let streetName = await accounts.streetName(DEMO_STREET);
  if (streetName !== undefined) streetCode = DEMO_STREET;
  else {
    // Another city's geography: the street/town of the first person on its roster.
    const first = await accounts.firstPersonOf(null);
    streetName = first ? await accounts.streetName(first.streetCode) : undefined;
    if (first && streetName !== undefined) streetCode = first.streetCode;
  }

  let gridWorker;
  let staff;
  if (streetCode) {
    for (const department of GRID_WORKER_DEPARTMENTS) gridWorker ??= await accounts.firstPersonOf(streetCode, department);
    gridWorker ??= await accounts.firstPersonOf(streetCode);
    staff = (await accounts.firstPersonOf(streetCode, DEMO_DEPARTMENT)) ?? (await accounts.firstPersonOf(streetCode));
  }

  const plans: Omit<NewAccountInput, 'password'>[] = [
    { username: 'demo-district-dispatcher', displayName: '区指挥中心调度员（演示）', role: 'district-dispatcher' },
    ...(streetCode ? [{ username: 'demo-street-dispatcher', displayName: `${streetName ?? streetCode}分中心调度员（演示）`, role: 'street-dispatcher', streetCode }] : []),
    gridWorker
      ? { username: 'demo-grid-worker', displayName: `${gridWorker.name}（网格员，演示）`, role: 'grid-worker', personId: gridWorker.id }
      : { username: 'demo-grid-worker', displayName: '网格员（演示）', role: 'grid-worker' },
    ...(staff
      ? [{ username: 'demo-department-staff', displayName: `${staff.name}（专业部门，演示）`, role: 'department-staff', personId: staff.id, departmentCode: staff.departmentCode }]
      : (await accounts.departmentExists(DEMO_DEPARTMENT))
        ? [{ username: 'demo-department-staff', displayName: '城管大队（演示）', role: 'department-staff', departmentCode: DEMO_DEPARTMENT }]
        : []),
    { username: 'demo-verifier', displayName: '监督中心核查员（演示）', role: 'verifier' },
    { username: 'demo-analyst', displayName: '数据分析员（演示）', role: 'analyst' },
    { username: 'demo-admin', displayName: '系统管理员（演示）', role: 'admin' },
  ];

  const created: DemoAccount[] = [];
  for (const plan of plans) {
    const password = generatePassword();
    if (await accounts.byUsername(plan.username)) {
      if (!options.resetPasswords) continue;
      const account = await auth.resetPassword(plan.username, password);
      created.push({ username: account.username, role: account.role, password });
      continue;
    }
    const account = await auth.createAccount({ ...plan, password });
    created.push({ username: account.username, role: account.role, password });
  }
  return created;
}
