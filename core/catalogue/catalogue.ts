/** The case-category catalogue: what a case can be about, who handles it, and how fast. */
export type CategoryKind = 'event' | 'component' | 'social';

export interface LocalizedName {
  readonly zh: string;
  readonly en: string;
}

export interface Department extends LocalizedName {
  readonly code: string;
  readonly duty: LocalizedName;
}

export interface WorkArea extends LocalizedName {
  readonly code: string;
}

export interface CategoryClass extends LocalizedName {
  readonly code: string;
  readonly kind: CategoryKind;
}

export interface Severity extends LocalizedName {
  readonly level: 1 | 2 | 3 | 4;
}

export interface Category extends LocalizedName {
  readonly code: string;
  readonly kind: CategoryKind;
  readonly class: string;
  readonly workArea: string;
  readonly department: string;
  readonly severity: 1 | 2 | 3 | 4;
  /** Minutes from dispatch until the assignee must accept. */
  readonly acceptMinutes: number;
  /** Minutes from acceptance until the case must be resolved. */
  readonly resolveMinutes: number;
  /** Deadlines count working time (the working calendar) rather than calendar time. */
  readonly workingTime: boolean;
}

export interface Catalogue {
  readonly severities: readonly Severity[];
  readonly workAreas: readonly WorkArea[];
  readonly classes: readonly CategoryClass[];
  readonly categories: readonly Category[];
}
