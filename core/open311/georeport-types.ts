/**
 * Open311 GeoReport v2 on the wire (http://wiki.open311.org/GeoReport_v2), JSON flavour: the
 * spec's own field names. The XML flavour is the same data through the Spark convention
 * (`core/open311/xml.ts`): each array is a container element holding one element per item.
 */

/** What the answers are written in: Chinese by default, English with `locale=en`. */
export type Open311Locale = 'zh' | 'en';

export const SPECIFICATION_URL = 'http://wiki.open311.org/GeoReport_v2';

export interface O311Discovery {
  readonly changeset: string;
  readonly contact: string;
  readonly key_service: string;
  readonly endpoints: readonly O311Endpoint[];
}

export interface O311Endpoint {
  readonly specification: string;
  readonly url: string;
  readonly changeset: string;
  readonly type: 'production' | 'test';
  readonly formats: readonly string[];
}

export interface O311Service {
  readonly service_code: string;
  readonly service_name: string;
  readonly description: string;
  readonly metadata: boolean;
  readonly type: 'realtime' | 'batch' | 'blackbox';
  readonly keywords: string;
  readonly group: string;
}

export type O311Datatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface O311AttributeValue {
  readonly key: string;
  readonly name: string;
}

export interface O311Attribute {
  readonly variable: boolean;
  readonly code: string;
  readonly datatype: O311Datatype;
  readonly required: boolean;
  readonly datatype_description: string | null;
  readonly order: number;
  readonly description: string;
  /** Only for the list datatypes. */
  readonly values?: readonly O311AttributeValue[];
}

export interface O311ServiceDefinition {
  readonly service_code: string;
  readonly attributes: readonly O311Attribute[];
}

/** The answer to POST requests: one per request created (always one here). */
export interface O311CreatedRequest {
  readonly service_request_id: string;
  readonly service_notice: string | null;
  readonly account_id: string | null;
}

export interface O311Request {
  readonly service_request_id: string;
  readonly status: 'open' | 'closed';
  readonly status_notes: string | null;
  readonly service_name: string | null;
  readonly service_code: string;
  readonly description: string | null;
  readonly agency_responsible: string | null;
  readonly service_notice: string | null;
  readonly requested_datetime: string;
  readonly updated_datetime: string | null;
  readonly expected_datetime: string | null;
  readonly address: string | null;
  readonly address_id: string | null;
  readonly zipcode: string | null;
  readonly lat: number;
  readonly long: number;
  readonly media_url: string | null;
}

/** One entry of the spec's error list. `code` is the HTTP status here. */
export interface O311Error {
  readonly code: number;
  readonly description: string;
}

/** The Spark convention's containers: an array under these names holds elements of the item name. */
export const SPARK_ITEM_NAMES: Readonly<Record<string, string>> = {
  endpoints: 'endpoint',
  formats: 'format',
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  errors: 'error',
};

/** `locale` (or `lang`) query value → the answer's language: `en…` is English, anything else Chinese. */
export function localeOf(value: string | undefined): Open311Locale {
  return value !== undefined && /^en\b|^en[-_]/i.test(value.trim()) ? 'en' : 'zh';
}
