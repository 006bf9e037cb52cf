/**
 * Who is acting, as every route and socket command sees it once the session is checked. Roles and
 * scopes follow the command centre's posts: dispatchers of the district centre (大循环) and of a
 * street/town sub-centre (小循环), grid workers (网格员/监督员), department staff (专业部门), verifiers
 * of the supervision centre (核查), analysts (read-only) and administrators (accounts).
 */
export const ROLES = ['district-dispatcher', 'street-dispatcher', 'grid-worker', 'department-staff', 'verifier', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface Actor {
  /** The account's id; recorded as the actor of every event it causes. */
  readonly accountId: string;
  readonly role: Role;
  /** Display name, for timelines. */
  readonly name: string;
  /** The roster person this account is, for grid workers and department staff. */
  readonly personId: string | null;
  /** A street dispatcher's street/town (9-digit code); null for district-wide roles. */
  readonly streetCode: string | null;
  /** Department staff's department code. */
  readonly departmentCode: string | null;
  /** Grids a grid worker or department staff member serves (from the roster). */
  readonly gridCodes: readonly string[];
}

/** The intake pipeline and the escalation scheduler act as this. */
export const SYSTEM_ACTOR: Actor = {
  accountId: 'system',
  role: 'district-dispatcher',
  name: 'Grid Command',
  personId: null,
  streetCode: null,
  departmentCode: null,
  gridCodes: [],
};
