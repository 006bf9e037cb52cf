import type { Channel } from '../cases/report.ts';
import type { Actor, Role } from './actor.ts';

/** Residents report without an account, through the app or the public page. */
export const PUBLIC_CHANNEL: Channel = 'resident-app';

/** Staff who file reports on the channels of their work (patrol, hotline, sensors, referrals…). */
export const FILING_ROLES: readonly Role[] = ['district-dispatcher', 'street-dispatcher', 'grid-worker', 'department-staff', 'verifier'];

/** Whether filing on this channel needs a signed-in account (an invalid channel is the parser's to refuse). */
export function needsStaff(channel: unknown): boolean {
  return typeof channel === 'string' && channel !== PUBLIC_CHANNEL;
}

export type ChannelRefusal = { readonly status: 401 | 403; readonly code: string; readonly message: string };

/**
 * Who may file on which channel: anyone on the public channel; staff on the others (a report's
 * channel is what a dispatcher trusts, so it cannot be claimed without signing in); `open311` only
 * through the Open311 door, which checks its API key itself.
 */
export function channelRefusal(channel: unknown, actor: Actor | undefined): ChannelRefusal | undefined {
  if (!needsStaff(channel)) return undefined;
  if (channel === 'open311') return { status: 403, code: 'forbidden', message: 'open311 reports come through /open311/v2/ with an API key' };
  if (!actor) return { status: 401, code: 'unauthenticated', message: `the ${channel} channel is for signed-in staff (POST /api/session); residents report on resident-app` };
  if (!FILING_ROLES.includes(actor.role)) return { status: 403, code: 'forbidden', message: `a ${actor.role} does not file reports` };
  return undefined;
}
