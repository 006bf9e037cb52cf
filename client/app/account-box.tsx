import type { Actor } from '../../core/access/actor.ts';
import { DISTRICT_WIDE_ROLES } from '../../core/access/case-scope.ts';
import type { GeographyData } from '../state/geography-data.ts';
import { useLanguage } from './i18n.tsx';

/** The account's scope in words: the whole district, a street, grids, or a department. */
export function scopeText(actor: Actor, geography: GeographyData | undefined, lang: 'zh' | 'en', strings: ReturnType<typeof useLanguage>['strings']): string {
  if (DISTRICT_WIDE_ROLES.includes(actor.role)) return strings.scopeDistrict;
  if (actor.role === 'street-dispatcher' && actor.streetCode) return strings.scopeStreet(geography?.streetNames.get(actor.streetCode) ?? actor.streetCode);
  if (actor.role === 'department-staff' && actor.departmentCode) return strings.scopeDepartment(geography?.departments.get(actor.departmentCode)?.[lang] ?? actor.departmentCode);
  const first = actor.gridCodes[0];
  if (first) return strings.scopeGrids(geography?.gridNames.get(first) ?? first, actor.gridCodes.length);
  return strings.scopeDistrict;
}

export interface AccountBoxProps {
  readonly actor: Actor;
  readonly geography: GeographyData | undefined;
  readonly onSignOut: () => void;
}

/** Who is signed in (name, role, scope) and the way out. */
export function AccountBox({ actor, geography, onSignOut }: AccountBoxProps) {
  const { lang, strings } = useLanguage();
  return (
    <div className="account" data-testid="account" data-role={actor.role} aria-label={strings.accountLabel}>
      <span className="account__name" data-testid="account-name">
        {actor.name}
      </span>
      <span className="account__role" data-testid="account-role">
        {strings.roleName(actor.role)}
      </span>
      <span className="account__scope" data-testid="account-scope">
        {scopeText(actor, geography, lang, strings)}
      </span>
      <button type="button" className="header-button" data-testid="sign-out" onClick={onSignOut}>
        {strings.signOut}
      </button>
    </div>
  );
}
