import { describe, expect, it } from 'vitest';
import { readFixture } from '../../fixtures/read.mjs';
import { describeColumns, parseCsvFile, parseCsvText, parseNumber } from '../../../src/data/csv';
import { InputError } from '../../../src/api/errors';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

async function rejects(text: string, pattern: RegExp) {
  const err = await parseCsvText(text, 'f.csv').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(pattern);
  expect((err as Error).message).toContain('"f.csv"');
}

describe('parseNumber', () => {
  it.each([
    ['1,200', 1200],
    ['1,234,567.5', 1234567.5],
    ['-3.5', -3.5],
    ['$12.30', 12.3],
    ['-$4', -4],
    ['12%', 12],
    ['1e3', 1000],
    ['.5', 0.5],
    [' 7 ', 7],
  ])('%s -> %d', (raw, v) => expect(parseNumber(raw)).toBe(v));
  it.each(['abc', '1,2,3', '12a', '', '1.2.3', '0x10', '12,34'])('%s is not a number', (raw) =>
    expect(parseNumber(raw)).toBeNaN(),
  );
  it('"0,375" is no thousands form (it was read as 375)', () => expect(parseNumber('0,375')).toBeNaN());
  it.each([
    ['0,375', 0.375],
    ['1,25', 1.25],
    ['1.234,56', 1234.56],
    ['12,500', 12.5],
    ['-3', -3],
    ['€ 4,5', 4.5],
  ])('with a decimal comma, %s -> %d', (raw, v) => expect(parseNumber(raw, ',')).toBe(v));
  it.each(['3.5', '1,200.50', '1.23'])('with a decimal comma, %s is not a number', (raw) => expect(parseNumber(raw, ',')).toBeNaN());
});

describe('parseCsvText', () => {
  it('types date, number (with thousands separators) and string columns', async () => {
    const { table, warnings } = await parseCsvText('date,sales,region\n2024-01-01,"1,200",north\n2024-01-08,1300,south\n', 'a.csv');
    expect(table.rows).toBe(2);
    expect(table.columns.map((c) => c.type)).toEqual(['date', 'number', 'string']);
    expect(Array.from(table.columns[0].values as Float64Array)).toEqual([day('2024-01-01'), day('2024-01-08')]);
    expect(Array.from(table.columns[1].values as Float64Array)).toEqual([1200, 1300]);
    expect(table.columns[2].values).toEqual(['north', 'south']);
    expect(warnings).toEqual([]);
  });

  it('detects semicolon, tab, pipe and whitespace delimiters', async () => {
    for (const [text, d] of [
      ['a;b\n1;2\n3;4\n', ';'],
      ['a\tb\n1\t2\n3\t4\n', 'tab'],
      ['a|b\n1|2\n3|4\n', '|'],
      ['a  b\n 1   2\n3 4\n', 'space'],
    ] as const) {
      const { table } = await parseCsvText(text, `${d}.csv`);
      expect(table.columns.map((c) => c.name), d).toEqual(['a', 'b']);
      expect(Array.from(table.columns[1].values as Float64Array), d).toEqual([2, 4]);
    }
  });

  it('reads common date formats', async () => {
    const { table, warnings } = await parseCsvText(
      'iso,compact,dmy,mdy,slash,stamp,month,n\n' +
        '2024-03-05,20240305,25/03/2024,03/25/2024,2024/03/05,2024-03-05T10:00:00Z,2024-03,1\n' +
        '2024-03-06,20240306,26/03/2024,03/26/2024,2024/03/06,2024-03-06 11:30,2024-04,2\n',
      'd.csv',
    );
    expect(table.columns.map((c) => c.type)).toEqual(['date', 'date', 'date', 'date', 'date', 'date', 'date', 'number']);
    const v = (j: number) => (table.columns[j].values as Float64Array)[0];
    expect(v(0)).toBe(day('2024-03-05'));
    expect(v(1)).toBe(day('2024-03-05'));
    expect(v(2)).toBe(day('2024-03-25'));
    expect(v(3)).toBe(day('2024-03-25'));
    expect(v(4)).toBe(day('2024-03-05'));
    expect(v(5)).toBe(day('2024-03-05'));
    expect(v(6)).toBe(day('2024-03-01'));
    expect(warnings).toEqual([]);
  });

  it('warns on ambiguous day/month order', async () => {
    const { warnings } = await parseCsvText('d,x\n03/04/2024,1\n05/06/2024,2\n', 'a.csv');
    expect(warnings.join(' ')).toMatch(/ambiguous/);
  });

  it('treats a year column as numbers and 8-digit ids with invalid dates as numbers', async () => {
    const { table } = await parseCsvText('year,id\n1970,12345678\n1971,20241399\n', 'y.csv');
    expect(table.columns.map((c) => c.type)).toEqual(['number', 'number']);
  });

  it('warns about missing values, mixed types and repeated dates, with line numbers', async () => {
    const { table, warnings } = await parseCsvText(
      'date,x,y\n2024-01-01,1,a\n2024-01-01,NA,b\n2024-01-03,3,c\n2024-01-04,4,d\n2024-01-05,5,e\n2024-01-06,6,f\n2024-01-07,7,g\n2024-01-08,8,h\n2024-01-09,9,i\n2024-01-10,oops,j\n2024-01-11,11,k\n',
      'w.csv',
    );
    expect(table.columns[1].type).toBe('number');
    expect((table.columns[1].values as Float64Array)[1]).toBeNaN();
    expect((table.columns[1].values as Float64Array)[9]).toBeNaN();
    const all = warnings.join('\n');
    expect(all).toMatch(/Column "x": 1 missing value \(line 3\)/);
    expect(all).toMatch(/"oops" on line 11/);
    expect(all).toMatch(/"date" has 1 repeated date \(e\.g\. 2024-01-01\)/);
  });

  it('names columns when there is no header, and says so', async () => {
    const { table, warnings } = await parseCsvText('00001 19970101 1 11.77\n00001 19970118 2 29.33\n00002 19970112 1 12.00\n', 'cd.txt');
    expect(table.columns.map((c) => c.name)).toEqual(['column_1', 'column_2', 'column_3', 'column_4']);
    expect(table.columns.map((c) => c.type)).toEqual(['number', 'date', 'number', 'number']);
    expect(warnings.join(' ')).toMatch(/No header row/);
  });

  it('strips a UTF-8 byte-order mark and CRLF line ends', async () => {
    const { table } = await parseCsvText('\uFEFFa,b\r\n1,2\r\n3,4\r\n', 'bom.csv');
    expect(table.columns[0].name).toBe('a');
    expect(table.rows).toBe(2);
  });

  it('rejects bad files with specific messages', async () => {
    await rejects('', /is empty/);
    await rejects('\n\n  \n', /empty/);
    await rejects('date,sales\n2024-01-01,1\n2024-01-08,2,3\n', /line 3 has 3 fields but the header has 2/);
    await rejects('date,sales\n2024-01-01,1\n', /only 1 data row/);
    await rejects('date,sales\n', /no data rows/);
    await rejects('a,b\nx,y\nz,w\n', /no numeric column/);
    await rejects('date,x,x\n2024-01-01,1,2\n2024-01-08,3,4\n', /column "x" appears more than once/);
    await rejects('a,b\n1,\u0000\n', /binary/);
  });

  it('rejects non-UTF-8 bytes in a file', async () => {
    const latin1 = new Blob([new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xe9, 0x0a, 0x32, 0x2c, 0x33, 0x0a])]);
    const err = await parseCsvFile(latin1, 'l.csv').catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/UTF-8/);
  });

  it('parses the CDNOW sample (whitespace, no header) to the published size', async () => {
    const text = readFixture('CDNOW_sample.txt');
    const { table } = await parseCsvText(text, 'CDNOW_sample.txt');
    expect(table.rows).toBe(6919);
    expect(table.columns.map((c) => c.type)).toEqual(['number', 'number', 'date', 'number', 'number']);
    const ids = new Set(table.columns[0].values as Float64Array);
    expect(ids.size).toBe(2357);
  });

  it('reads decimal commas in a ;-separated file, per column, and flags a column that could be either', async () => {
    const { table, warnings, decimal } = await parseCsvText('date;sales;spend;price\n2024-01-01;12,500;0,375;1.234,56\n2024-01-08;13,250;1,5;2,5\n', 'eu.csv');
    expect(table.columns.map((c) => c.type)).toEqual(['date', 'number', 'number', 'number']);
    expect(Array.from(table.columns[2].values as Float64Array)).toEqual([0.375, 1.5]);
    expect(Array.from(table.columns[3].values as Float64Array)).toEqual([1234.56, 2.5]);
    // "12,500" is 12.5 or 12500: read as the file's other columns are (decimal comma), and flagged.
    expect(Array.from(table.columns[1].values as Float64Array)).toEqual([12.5, 13.25]);
    const all = warnings.join('\n');
    expect(all).toMatch(/Column "spend" is read with decimal commas \("0,375" on line 2 is 0\.375\)/);
    expect(all).toMatch(/Column "sales" is ambiguous: "12,500" \(line 2\) is 12\.5 with a decimal comma or 12500 with a thousands separator; read as 12\.5/);
    expect(decimal).toEqual({ ambiguous: ['sales'], read: ',', chosen: false });
  });

  it('reads "1,25" as a number with a decimal comma, not as text', async () => {
    const { table } = await parseCsvText('item;price\na;1,25\nb;3,5\n', 'p.csv');
    expect(table.columns[1].type).toBe('number');
    expect(Array.from(table.columns[1].values as Float64Array)).toEqual([1.25, 3.5]);
  });

  it('reads every number column with the chosen decimal separator (loadCsv option decimal)', async () => {
    const text = 'date;sales\n2024-01-01;12,500\n2024-01-08;13,250\n';
    const point = await parseCsvText(text, 'eu.csv', { decimal: '.' });
    expect(Array.from(point.table.columns[1].values as Float64Array)).toEqual([12500, 13250]);
    expect(point.warnings).toEqual([]);
    expect(point.decimal).toEqual({ ambiguous: ['sales'], read: '.', chosen: true });
    const comma = await parseCsvText(text, 'eu.csv', { decimal: ',' });
    expect(Array.from(comma.table.columns[1].values as Float64Array)).toEqual([12.5, 13.25]);
    await expect(parseCsvText(text, 'eu.csv', { decimal: 'x' as never })).rejects.toThrow(/decimal option must be "\." or ","/);
  });

  it('keeps "1,200" a thousands separator in a comma-separated file, without a flag', async () => {
    const { table, decimal } = await parseCsvText('a,b\n"1,200",1.5\n"2,300",2\n', 'us.csv');
    expect(Array.from(table.columns[0].values as Float64Array)).toEqual([1200, 2300]);
    expect(decimal).toBeUndefined();
  });

  it('shows a number too large for a double (1e400) as missing, never Infinity', async () => {
    const { table, warnings } = await parseCsvText('x,y\n1,2\n1e400,3\n-1e400,4\n', 'big.csv');
    expect(table.columns[0].type).toBe('number');
    const x = Array.from(table.columns[0].values as Float64Array);
    expect(x[0]).toBe(1);
    expect(x[1]).toBeNaN();
    expect(x[2]).toBeNaN();
    expect(warnings.join('\n')).toMatch(/Column "x": 2 values are too large to compute with \(e\.g\. "1e400" on line 3\); treated as missing/);
  });

  it('warns when a date column mixes formats, naming the column and example lines', async () => {
    const { table, warnings } = await parseCsvText('day,x\n2024-01-05,1\n2024-01-06,2\n07/01/2024,3\n', 'mixed.csv');
    expect(table.columns[0].type).toBe('date');
    expect(warnings.join('\n')).toMatch(/Column "day" mixes date formats: "2024-01-05" \(yyyy-mm-dd\) on line 2, "07\/01\/2024" \(dd\/mm\/yyyy or mm\/dd\/yyyy\) on line 4/);
  });

  it('names the physical line after a quoted field that spans lines', async () => {
    await rejects('a,b\n1,"two\nlines"\n3,"three\nmore\nlines"\n5,6,7\n', /line 7 has 3 fields but the header has 2/);
    const { warnings } = await parseCsvText('a,b\n1,"x\ny"\nNA,2\n3,4\n', 'q.csv');
    expect(warnings.join('\n')).toMatch(/Column "a": 1 missing value \(line 4\)/);
  });

  it('reports an unterminated quote with the line it starts on', async () => {
    await rejects('a,b\n1,2\n3,4\n"5,6\n7,8\n9,10\n', /unterminated quote starting on line 4/);
    await rejects('a,b\n1,"ok\nfine"\n3,"open\n5,6\n', /unterminated quote starting on line 4/);
    // It used to be reported as "only 1 data row": the open quote swallowed the rest of the file.
    await rejects('date,sales\n2024-01-01,"1\n2024-01-08,2\n2024-01-15,3\n', /unterminated quote starting on line 2/);
  });
});


describe('describeColumns', () => {
  it('gives each column its missing count, range and the date format that was assumed', async () => {
    const { table, dateFormats } = await parseCsvText('date,spend,name\n13/01/2024,5,a\n14/01/2024,NA,\n15/01/2024,-2.5,c\n', 'f.csv');
    expect(describeColumns(table, dateFormats)).toEqual([
      { name: 'date', type: 'date', missing: 0, min: day('2024-01-13'), max: day('2024-01-15'), dateFormat: 'dd/mm/yyyy (day first)' },
      { name: 'spend', type: 'number', missing: 1, min: -2.5, max: 5 },
      { name: 'name', type: 'string', missing: 1 },
    ]);
    const iso = await parseCsvText('week,y,holiday\n2024-01-01,1,0\n2024-01-08,2,1\n', 'f.csv');
    const described = describeColumns(iso.table, iso.dateFormats);
    expect(described[0].dateFormat).toBe('yyyy-mm-dd');
    expect(described.map((c) => c.binary)).toEqual([undefined, undefined, true]);
  });
});
