/**
 * The catalogue as GeoReport services: one service per category (`service_code` = category code),
 * grouped by work area, and the few extra answers some categories ask for (service definitions).
 */
import type { Catalogue, Category, CategoryKind, Department } from '../catalogue/catalogue.ts';
import type { O311Attribute, O311AttributeValue, O311Datatype, O311Service, O311ServiceDefinition, Open311Locale } from './georeport-types.ts';

interface Text {
  readonly zh: string;
  readonly en: string;
}

/** An extra answer a service asks for, and how a submitted value is checked. */
export interface AttributeSpec {
  readonly code: string;
  readonly datatype: O311Datatype;
  readonly required: boolean;
  readonly description: Text;
  readonly datatypeDescription: Text;
  /** A submitted value must match (string and number types). */
  readonly pattern?: RegExp;
  /** For the list datatypes. */
  readonly values?: readonly (Text & { readonly key: string })[];
}

/**
 * The attributes by category kind. Components (部件: manhole covers, lamp posts, signs…) carry a
 * component ID printed on them (CJ/T 214: 16 digits), which lets the department find the very
 * asset; it is optional, since a resident may not see it. Events and social matters ask nothing more.
 */
export const ATTRIBUTES_BY_KIND: Readonly<Record<CategoryKind, readonly AttributeSpec[]>> = {
  component: [
    {
      code: 'component_id',
      datatype: 'string',
      required: false,
      description: { zh: '部件编码：部件标牌上印的 16 位数字（看不到可不填）', en: 'Component ID: the 16 digits on the asset’s label (leave empty if you cannot see it)' },
      datatypeDescription: { zh: '16 位数字', en: '16 digits' },
      pattern: /^\d{16}$/,
    },
  ],
  event: [],
  social: [],
};

const KIND_NAMES: Readonly<Record<CategoryKind, Text>> = {
  event: { zh: '事件', en: 'event' },
  component: { zh: '部件', en: 'component' },
  social: { zh: '社会事务', en: 'social matter' },
};

export function attributesOf(category: Category): readonly AttributeSpec[] {
  return ATTRIBUTES_BY_KIND[category.kind];
}

/** Minutes as people say them: "2 小时" / "2 h", "3 天" / "3 days". */
export function durationText(minutes: number, locale: Open311Locale): string {
  const zh = locale === 'zh';
  if (minutes % 1440 === 0) return zh ? `${minutes / 1440} 天` : `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return zh ? `${minutes / 60} 小时` : `${minutes / 60} h`;
  return zh ? `${minutes} 分钟` : `${minutes} min`;
}

/** What the city will do with a request of this service, in one line (the spec's `service_notice`). */
export function serviceNoticeOf(category: Category, department: Department | undefined, locale: Open311Locale): string {
  const zh = locale === 'zh';
  const dept = department ? department[locale] : category.department;
  const within = durationText(category.resolveMinutes, locale);
  return zh
    ? `由${dept}处置，受理后 ${within}${category.workingTime ? '（工作时间）' : ''}内办结`
    : `Handled by ${dept}; resolved within ${within}${category.workingTime ? ' of working time' : ''} of acceptance`;
}

/** GET services: every category of the catalogue, by code. */
export function servicesOf(catalogue: Catalogue, locale: Open311Locale): O311Service[] {
  const other: Open311Locale = locale === 'zh' ? 'en' : 'zh';
  const classes = new Map(catalogue.classes.map((c) => [c.code, c]));
  const workAreas = new Map(catalogue.workAreas.map((w) => [w.code, w]));
  return [...catalogue.categories]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((c): O311Service => {
      const cls = classes.get(c.class);
      const area = workAreas.get(c.workArea);
      const keywords = [cls?.zh, cls?.en, KIND_NAMES[c.kind].zh, KIND_NAMES[c.kind].en, c[other]].filter((k): k is string => !!k);
      return {
        service_code: c.code,
        service_name: c[locale],
        description: c[other],
        metadata: attributesOf(c).length > 0,
        type: 'realtime',
        keywords: [...new Set(keywords)].join(', '),
        group: area ? area[locale] : c.workArea,
      };
    });
}

/** GET services/{code}: the extra answers a service asks for (none for most). */
export function serviceDefinitionOf(category: Category, locale: Open311Locale): O311ServiceDefinition {
  return {
    service_code: category.code,
    attributes: attributesOf(category).map((a, i): O311Attribute => ({
      variable: true,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: a.datatypeDescription[locale],
      order: i + 1,
      description: a.description[locale],
      ...(a.values ? { values: a.values.map((v): O311AttributeValue => ({ key: v.key, name: v[locale] })) } : {}),
    })),
  };
}

export type CheckedAttributes = { readonly ok: true; readonly lines: readonly string[] } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * The submitted `attribute[code]` values against the service's definition: required ones present,
 * no unknown codes, one value unless a multivaluelist, values of their type. The answers become
 * lines appended to the description (`[component_id: 1101080101000001]`), which is what dispatch reads.
 */
export function checkAttributes(category: Category, submitted: ReadonlyMap<string, readonly string[]>): CheckedAttributes {
  const specs = attributesOf(category);
  const problems: string[] = [];
  const lines: string[] = [];
  for (const code of submitted.keys()) {
    if (!specs.some((s) => s.code === code)) {
      problems.push(specs.length === 0 ? `attribute[${code}]: service ${category.code} has no attributes` : `attribute[${code}] is not an attribute of service ${category.code} (it has ${specs.map((s) => s.code).join(', ')})`);
    }
  }
  for (const spec of specs) {
    const values = (submitted.get(spec.code) ?? []).map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) {
      if (spec.required) problems.push(`attribute[${spec.code}] is required for service ${category.code}`);
      continue;
    }
    if (values.length > 1 && spec.datatype !== 'multivaluelist') {
      problems.push(`attribute[${spec.code}] takes one value`);
      continue;
    }
    const bad = values.filter((v) => {
      switch (spec.datatype) {
        case 'singlevaluelist':
        case 'multivaluelist':
          return !spec.values?.some((x) => x.key === v);
        case 'number':
          return !Number.isFinite(Number(v)) || (spec.pattern !== undefined && !spec.pattern.test(v));
        case 'datetime':
          return Number.isNaN(Date.parse(v));
        case 'string':
          return v.includes('\n') || (spec.pattern !== undefined && !spec.pattern.test(v));
        case 'text':
          return spec.pattern !== undefined && !spec.pattern.test(v);
      }
    });
    if (bad.length > 0) problems.push(`attribute[${spec.code}] must be ${spec.datatypeDescription.en}${spec.values ? ` (one of ${spec.values.map((x) => x.key).join(', ')})` : ''}; got "${bad[0]!.slice(0, 40)}"`);
    else lines.push(`[${spec.code}: ${values.join(', ')}]`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, lines };
}
