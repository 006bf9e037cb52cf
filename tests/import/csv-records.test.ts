import { describe, expect, it } from 'vitest';
import { CsvFormatError, csvField, readCsvRecords, type CsvReadOptions, type CsvRecord } from '../../server/import/csv-records.ts';
import { parseCsv } from '../../server/import/parse-csv.ts';

async function read(chunks: (string | Uint8Array)[], options?: CsvReadOptions): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of readCsvRecords(chunks, options)) out.push(r);
  return out;
}

/** The same text cut into chunks of `size` bytes (UTF-8), as a file stream might deliver it. */
function chunked(text: string, size: number): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

const SAMPLE = '\ufeffid,text,n\r\n1,"a, ""quoted"" comma",3\r\n2,"two\nlines",4\n\n3,plain 中文,5\n4,,';

describe('readCsvRecords', () => {
  it('reads RFC 4180: quotes, doubled quotes, line breaks in quotes, CRLF and LF, a BOM, blank lines, a last line without a break', async () => {
    const records = await read([SAMPLE]);
    expect(records.map((r) => r.fields)).toEqual([
      ['id', 'text', 'n'],
      ['1', 'a, "quoted" comma', '3'],
      ['2', 'two\nlines', '4'],
      ['3', 'plain 中文', '5'],
      ['4', '', ''],
    ]);
    expect(records.map((r) => [r.record, r.line])).toEqual([[1, 1], [2, 2], [3, 3], [4, 6], [5, 7]]);
  });

  it('gives the same records however the bytes are chunked (even inside a multi-byte character or a doubled quote)', async () => {
    const whole = (await read([SAMPLE])).map((r) => r.fields);
    for (const size of [1, 2, 3, 5, 7, 64]) expect((await read(chunked(SAMPLE, size))).map((r) => r.fields), `chunks of ${size}`).toEqual(whole);
  });

  it('agrees with the in-memory parser on the reference roster', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../geodata/haidian/personnel.csv', import.meta.url), 'utf8');
    expect((await read(chunked(text, 4096))).map((r) => r.fields)).toEqual(parseCsv(text));
  });

  it('refuses bytes that are not UTF-8, an unclosed quote, and records beyond the limits, saying where', async () => {
    await expect(read([new Uint8Array([0x61, 0x2c, 0xff, 0xfe, 0x0a])])).rejects.toThrow(/not UTF-8/);
    await expect(read(['a,b\n1,"open\n2,3\n'])).rejects.toThrow(CsvFormatError);
    await expect(read(['a,b\n1,"open\n2,3\n'])).rejects.toThrow(/line 2: the file ends inside a quoted field/);
    await expect(read([`x${'y'.repeat(2_000)}`], { maxRecordChars: 1_000 })).rejects.toThrow(/longer than 1,000 characters/);
    await expect(read([`${'a,'.repeat(20)}a\n`], { maxFields: 10 })).rejects.toThrow(/more than 10 fields/);
    await expect(read(['"a"b,c\n'])).rejects.toThrow(/quoted field is followed by "b"/);
  });

  it('quotes a field only when it must', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines', null, 3, true].map(csvField)).toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '', '3', 'true']);
  });
});
