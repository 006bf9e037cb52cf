import type { Workspace } from '../state/view-url.ts';
import { useStrings } from './i18n.tsx';

export interface WorkspaceTabsProps {
  readonly workspace: Workspace;
  readonly available: readonly Workspace[];
  readonly onWorkspace: (workspace: Workspace) => void;
}

/** Supervisor, analyst, staffing: the command centre's three ways of looking at the same district. */
export function WorkspaceTabs({ workspace, available, onWorkspace }: WorkspaceTabsProps) {
  const strings = useStrings();
  if (available.length < 2) return null;
  return (
    <nav className="workspace-tabs" role="tablist" aria-label={strings.workspaceLabel}>
      {available.map((w) => (
        <button key={w} type="button" role="tab" aria-selected={w === workspace} className={`workspace-tab ${w === workspace ? 'is-on' : ''}`} data-testid="workspace-tab" data-workspace={w} onClick={() => onWorkspace(w)}>
          {strings.workspaceName(w)}
        </button>
      ))}
    </nav>
  );
}
