import type { Actor } from '../../core/access/actor.ts';
import { DISTRICT_WIDE_ROLES } from '../../core/access/case-scope.ts';
import type { Workspace } from './view-url.ts';

/**
 * Which workspaces an account may open, as the server decides who may read what: the analyst's
 * figures are for district-wide roles and street dispatchers (GET /api/analytics/*), the staffing
 * layer for every staff account (GET /api/staffing), the supervisor's live view for whoever may
 * watch an area.
 */
export function workspacesOf(actor: Actor | undefined, canWatch: boolean): Workspace[] {
  if (!actor) return [];
  const workspaces: Workspace[] = [];
  if (canWatch) workspaces.push('supervisor');
  if (DISTRICT_WIDE_ROLES.includes(actor.role) || actor.role === 'street-dispatcher') workspaces.push('analyst');
  workspaces.push('staffing');
  return workspaces;
}

/** The workspace to show: the one asked for if allowed, else the first allowed. */
export function workspaceToShow(asked: Workspace, available: readonly Workspace[]): Workspace | undefined {
  return available.includes(asked) ? asked : available[0];
}
