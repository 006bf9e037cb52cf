/**
 * The XML flavour of GeoReport v2: schemaless, no namespace, UTF-8, written from the same values as
 * the JSON flavour by inverting the Spark convention (an array is a container element whose items
 * are elements of a fixed name: `services` → `service`). Pure: no I/O.
 */

export type XmlValue = string | number | boolean | null | undefined | XmlObject | readonly XmlValue[];
export interface XmlObject {
  readonly [name: string]: XmlValue;
}

/** Characters XML 1.0 does not allow at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF): dropped. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text or attribute content, escaped: `& < > " '` as entities, characters XML cannot carry dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML_CHAR, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function element(name: string, value: XmlValue, itemNames: Readonly<Record<string, string>>, indent: string, out: string[]): void {
  if (value === undefined) return;
  if (!NAME.test(name)) throw new Error(`"${name}" is not an XML element name`);
  if (value === null) {
    out.push(`${indent}<${name}/>`);
    return;
  }
  if (Array.isArray(value)) {
    const item = itemNames[name];
    if (!item) throw new Error(`no item element name for the array "${name}"`);
    if (value.length === 0) {
      out.push(`${indent}<${name}/>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const v of value as readonly XmlValue[]) element(item, v, itemNames, `${indent}  `, out);
    out.push(`${indent}</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as XmlObject).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      out.push(`${indent}<${name}/>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const [k, v] of entries) element(k, v, itemNames, `${indent}  `, out);
    out.push(`${indent}</${name}>`);
    return;
  }
  const text = escapeXml(String(value));
  out.push(text === '' ? `${indent}<${name}/>` : `${indent}<${name}>${text}</${name}>`);
}

/**
 * A whole document: the XML declaration, then `value` as the element `rootName`. An array root is a
 * container (`service_requests` of `request`s); `itemNames` names the items of every container.
 */
export function toXmlDocument(rootName: string, value: XmlValue, itemNames: Readonly<Record<string, string>>): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>'];
  element(rootName, value, itemNames, '', out);
  return `${out.join('\n')}\n`;
}
