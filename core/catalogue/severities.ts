import type { Severity } from './catalogue.ts';

/** The four severity levels every category is graded on. */
export const SEVERITIES: readonly Severity[] = [
  { level: 1, zh: '一般', en: 'Minor' },
  { level: 2, zh: '较重', en: 'Significant' },
  { level: 3, zh: '严重', en: 'Serious' },
  { level: 4, zh: '特别严重', en: 'Critical' },
];
