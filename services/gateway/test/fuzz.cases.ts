/**
 * fast-check arbitraries of invalid requests for one contract route. A case is the route's valid
 * baseline (fuzz.schema.ts) broken by one or two defects (wrong types, missing fields, extreme
 * numbers, huge strings, odd Unicode, deep nesting, malformed JSON, bad Content-Encoding or
 * charset, wrong content types, bodies over the limit, malformed percent-encoding and bad values in
 * path parameters, duplicate and bad query parameters, CSV the import refuses), plus harmless
 * extras (unknown members, unknown query parameters, odd headers, chunked transfer). Cases the
 * oracle (`refusalOf`) would let through are filtered out: every case sent must be refused.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  baselineOf,
  jsonSchemaOf,
  refusalOf,
  slotsOf,
  type Caller,
  type JsonSchema,
  type Route,
  type Slot,
  type WireRequest,
} from './fuzz.schema.ts';

/** Bytes spliced into a JSON body as they are (a `-0`, `1e400`, invalid UTF-8, 10 000 levels of nesting). */
export class RawJson {
  constructor(readonly bytes: Buffer) {}
  toString(): string {
    const text = this.bytes.toString('utf8');
    return text.length > 40 ? `raw(${text.slice(0, 20)}…${text.length} chars)` : `raw(${text})`;
  }
}
const raw = (s: string | number[]) => new RawJson(typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));

const join = (parts: Buffer[], sep: string) => parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from(sep), p]));

/** JSON.stringify with RawJson spliced in, and own `__proto__` members kept. */
export function encodeJson(v: unknown): Buffer {
  if (v instanceof RawJson) return v.bytes;
  if (Array.isArray(v)) return Buffer.concat([Buffer.from('['), ...join(v.map(encodeJson), ','), Buffer.from(']')]);
  if (v !== null && typeof v === 'object') {
    const members = Object.entries(v).map(([k, x]) => Buffer.concat([Buffer.from(`${JSON.stringify(k)}:`), encodeJson(x)]));
    return Buffer.concat([Buffer.from('{'), ...join(members, ','), Buffer.from('}')]);
  }
  return Buffer.from(JSON.stringify(v) ?? 'null');
}

/** The request being built from the baseline. */
interface Draft {
  params: Record<string, string>;
  /** Raw (already encoded) name and value pairs, in order. */
  query: [string, string][];
  /** JSON (with RawJson); undefined: no body. */
  body: unknown;
  /** When set, the bytes sent instead of the body. */
  bytes?: Buffer;
  headers: Record<string, string>;
  chunked: boolean;
}

export interface Defect {
  /** The kind of defect, for the tally: "wrong type", "malformed percent-encoding", … */
  family: string;
  label: string;
  apply: (d: Draft) => void;
}
const defect = (family: string, label: string, apply: (d: Draft) => void): Defect => ({ family, label, apply });

export interface FuzzCase {
  caller: Caller;
  wire: WireRequest;
  families: string[];
  labels: string[];
  /** Why the edge must refuse it (the oracle's answer). */
  refusal: string;
}

// ---- values -------------------------------------------------------------------------------------

const lazy = <T>(make: () => T) => {
  let v: T | undefined;
  return () => (v ??= make());
};
const KB = 1024;
const hugeAscii = lazy(() => 'a'.repeat(100 * KB + 17));
const hugeHangul = lazy(() => '가'.repeat(40 * KB)); // 120 KB of UTF-8
const hugeNul = lazy(() => '\u0000'.repeat(50 * KB)); // 300 KB once escaped: over the limit
const deepArray = lazy(() => raw(`${'['.repeat(10_000)}${']'.repeat(10_000)}`));
const deepObject = lazy(() => raw(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`));
const deeperArray = lazy(() => raw(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)); // 200 KB

const WRONG_TYPES: Record<string, unknown[]> = {
  integer: [true, false, '1', '0', '', [], [1], {}, { value: 1 }, 'NaN', 1.5, '١'],
  number: [true, false, '1', '', [], [1], {}, 'NaN', 'Infinity'],
  string: [true, 1, 0, [], ['a'], {}, { a: 'b' }],
  boolean: ['true', 'false', 1, 0, '', [], {}, 'yes'],
  enum: ['', 1, true, [], {}, 'NOT_A_VALUE', 'mon'],
  array: [{}, '1,2', 1, true, [[]], [null], [{}], 'MON1-2'],
  object: [[], 'x', 1, true, [{}]],
  null: [],
  any: [],
};
const NULL_FOR = new Set(['integer', 'number', 'string', 'boolean', 'enum', 'array', 'object']);

const EXTREME_NUMBERS = ['1e308', '-1e308', '-0', '"NaN"', '"Infinity"', '9007199254740993', '-9007199254740993', '5e-324', '1e400', '-1e400', '1e21', '0.1', '4294967296', '-1'];

const ODD_STRINGS: unknown[] = [
  '\ud800',
  'a\udc00b',
  '\u0000',
  'x\u0000y',
  '\u202eevil\u202c',
  '\u200f\u200e',
  '\ufeffx',
  'e\u0301'.repeat(70),
  '𝕏𝔸𝕃',
  '\uffff',
  '\u2028\u2029',
  '\u001b[31mred',
  '١٢٣',
  raw([0x22, 0xed, 0xa0, 0x80, 0x22]), // a lone surrogate as raw (CESU-8) bytes
  raw([0x22, 0xff, 0xfe, 0x22]), // bytes that are never UTF-8
  raw([0x22, 0xc0, 0xaf, 0x22]), // an overlong '/'
  raw([0x22, 0x01, 0x22]), // an unescaped control character: not JSON
  raw('"\\ud800\\udc00"'),
  raw('"\\uZZZZ"'),
];

const MALFORMED_JSON = [
  "{'a':1}",
  '{"a":1,}',
  '{"a":NaN}',
  '[1,2',
  '{"a" 1}',
  '{"a":1}}',
  '{"a":01}',
  '{"a":.5}',
  '{"a":+1}',
  '{"a":0x10}',
  '//c\n{}',
  '{"a":1}garbage',
  '\ufeff\ufeff{}', // one byte order mark is dropped by the decoder, the second is not JSON
  '\u00a0{}',
  'undefined',
  'null',
  '"x"',
  '12',
  'true',
  '   ',
];

/** A gzip member header followed by bytes that are not deflate data. */
const gzipHeader = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);
const gzipBomb = lazy(() => gzipSync(`{"a":"${'a'.repeat(2 * KB * KB)}"}`)); // 2 MB once inflated

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/problem+json',
  'text/json',
  'application/json-patch+json',
  'application/jsonp',
  null, // no Content-Type at all
];

const MALFORMED_PERCENT = ['%', '%E0%A4%A', '%FF', '%ZZ', '%C0%AF', '%ED%A0%80', '1%', '%%', '%2', '%u0031', '%E0%A4', '%F0%9F%98', '%FE%FF'];

const BAD_PARAMS = [
  'abc',
  '0',
  '-1',
  '1.5',
  '1e308',
  '9007199254740993',
  'NaN',
  'Infinity',
  ' ',
  '\u0000',
  '١',
  'true',
  '[]',
  '{}',
  "1' OR '1'='1",
  '1;DROP TABLE student',
  '..',
  '.',
  '9'.repeat(400),
  'x'.repeat(3000),
  '\u202e1',
  '\u200b1',
  '\ufeff1',
  '\u00a01',
  '0x10',
  '1e1',
];

const BAD_QUERY_VALUES = ['abc', '0', '-1', '1.5', '1e308', '9007199254740993', 'NaN', '', '%', '%FF', '%E0%A4%A', 'true', 'TRUE', 'yes', '%00', '%ED%A0%80', 'x'.repeat(5000), '%E2%80%AE', '0x10', ' 1'];

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'isAdmin', 'role', 'id', '', 'x'.repeat(1000), '\u0000', 'toString', 'hasOwnProperty'];
const EXTRA_VALUES: unknown[] = [1, 'x', true, null, { isAdmin: true }, [1, 2], { polluted: 'yes' }];

const ODD_HEADERS: [string, string][] = [
  ['x-request-id', 'x'.repeat(300)],
  ['x-request-id', 'a b\tc'],
  ['idempotency-key', 'not a valid key!'],
  ['idempotency-key', 'k'.repeat(300)],
  ['x-admission-token', 'garbage.token'],
  ['accept', 'text/csv'],
  ['accept', 'application/xml'],
  ['x-forwarded-for', '1.2.3.4, not-an-ip'],
  ['accept-language', 'xx-ZZ;q=2'],
];

/** The sections CSV columns (services/lectures sections.csv.ts), written here: a test never imports another service's src. */
const CSV_COLUMNS = ['id', 'termId', 'lectureId', 'sectionNo', 'professorId', 'capacity', 'room', 'grades', 'allowedMajorIds', 'meetings', 'reserved'];
/** Capacity and meetings cells the import always refuses (not an integer 1..500; not a meeting list): each row is invalid twice over. */
const BAD_CAPACITY = ['abc', '0', '-1', '1.5', '1e308', '', '=HYPERLINK("http://evil.example")', '\u0000', 'x'.repeat(20 * KB), '9007199254740993'];
const BAD_MEETINGS = ['', 'garbage', 'MON99-100', '=1+1', '"', 'x'.repeat(10 * KB)];
const ANY_CELL = ['1', '', '=cmd|" /C calc"!A0', '+1', '@SUM(1)', '\u0000', '가나다', '\u202e', '"quoted, comma"', 'x'.repeat(100)];

// ---- editing the draft --------------------------------------------------------------------------

type Key = string | number;

function setOwn(target: Record<Key, unknown>, key: Key, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Sets the member at `path`, making objects and arrays on the way (replacing what is not one). */
function setAt(d: Draft, path: Key[], value: unknown) {
  if (path.length === 0) {
    d.body = value;
    return;
  }
  if (d.body === null || typeof d.body !== 'object' || d.body instanceof RawJson) d.body = {};
  let at = d.body as Record<Key, unknown>;
  for (const [i, key] of path.slice(0, -1).entries()) {
    const next = at[key];
    if (next === null || typeof next !== 'object' || next instanceof RawJson) setOwn(at, key, typeof path[i + 1] === 'number' ? [] : {});
    at = at[key] as Record<Key, unknown>;
  }
  setOwn(at, path[path.length - 1]!, value);
}

function deleteAt(d: Draft, path: Key[]) {
  let at = d.body as Record<Key, unknown> | undefined;
  for (const key of path.slice(0, -1)) {
    const next = at?.[key];
    if (next === null || typeof next !== 'object') return;
    at = next as Record<Key, unknown>;
  }
  if (at && typeof at === 'object') delete at[path[path.length - 1]!];
}

const pathLabel = (path: Key[]) => path.join('.') || '(body)';
const show = (v: unknown) => {
  const s = v instanceof RawJson ? String(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 40 ? `${s.slice(0, 30)}…(${s.length} chars)` : s;
};

const bodyBytes = (d: Draft) => d.bytes ?? encodeJson(d.body ?? {});
const withBytes = (d: Draft, bytes: Buffer, contentType = 'application/json') => {
  d.bytes = bytes;
  d.headers['content-type'] = contentType;
};

// ---- defects ------------------------------------------------------------------------------------

function bodyDefects(slots: Slot[]): fc.Arbitrary<Defect>[] {
  if (slots.length === 0) return [];
  const slot = fc.constantFrom(...slots);
  const required = slots.filter((s) => s.required);
  const wrongType = slot.chain((s) => {
    const values = s.types.flatMap((t) => WRONG_TYPES[t] ?? []);
    if (!s.types.includes('null') && s.types.some((t) => NULL_FOR.has(t))) values.push(null);
    return fc.constantFrom(...(values.length ? values : [[]])).map((v) => defect('wrong type', `body.${pathLabel(s.path)} = ${show(v)}`, (d) => setAt(d, s.path, v)));
  });
  const list: fc.Arbitrary<Defect>[] = [
    wrongType,
    fc.tuple(slot, fc.constantFrom(...EXTREME_NUMBERS)).map(([s, n]) => defect('extreme number', `body.${pathLabel(s.path)} = ${n}`, (d) => setAt(d, s.path, raw(n)))),
    fc
      .tuple(slot, fc.constantFrom('ascii', 'hangul', 'nul'))
      .map(([s, kind]) =>
        defect('huge string', `body.${pathLabel(s.path)} = ${kind} string`, (d) =>
          setAt(d, s.path, kind === 'ascii' ? hugeAscii() : kind === 'hangul' ? hugeHangul() : hugeNul()),
        ),
      ),
    fc.tuple(slot, fc.constantFrom(...ODD_STRINGS)).map(([s, v]) => defect('odd unicode', `body.${pathLabel(s.path)} = ${show(v)}`, (d) => setAt(d, s.path, v))),
    fc
      .tuple(fc.constantFrom<Key[] | undefined>(undefined, ...slots.map((s) => s.path)), fc.constantFrom('array', 'object', 'deeper'))
      .map(([path, kind]) =>
        defect('deep nesting', `${path ? `body.${pathLabel(path)}` : 'body'} = ${kind === 'deeper' ? '100 000' : '10 000'} levels of ${kind === 'object' ? 'objects' : 'arrays'}`, (d) =>
          setAt(d, path ?? [], kind === 'array' ? deepArray() : kind === 'object' ? deepObject() : deeperArray()),
        ),
      ),
    fc.constantFrom('null', '[]', '1', '"x"', 'true', '[{}]', '{}').map((v) => defect('not an object', `body = ${v}`, (d) => setAt(d, [], raw(v)))),
  ];
  if (required.length) {
    list.push(fc.constantFrom(...required).map((s) => defect('missing field', `no body.${pathLabel(s.path)}`, (d) => deleteAt(d, s.path))));
  }
  return list;
}

/** Content types the JSON parser does not read: the body is then missing. */
function contentTypeDefects(): fc.Arbitrary<Defect> {
  return fc.constantFrom(...WRONG_CONTENT_TYPES).map((type) =>
    defect('wrong content type', `Content-Type: ${type ?? '(none)'}`, (d) => {
      if (type === 'application/x-www-form-urlencoded') d.bytes = Buffer.from('sectionId=1&name=x');
      if (type === null) delete d.headers['content-type'];
      else d.headers['content-type'] = type;
    }),
  );
}

/** Defects the body parser refuses whatever the route (every service parses JSON bodies). */
function transportDefects(): fc.Arbitrary<Defect>[] {
  return [
    fc.oneof(
      fc.constantFrom(...MALFORMED_JSON).map((text) => defect('malformed JSON', `body ${show(text)}`, (d) => withBytes(d, Buffer.from(text)))),
      fc.integer({ min: 1, max: 1_000 }).map((cut) =>
        defect('malformed JSON', `body cut after ${cut} bytes`, (d) => {
          const bytes = bodyBytes(d);
          withBytes(d, bytes.subarray(0, Math.max(1, Math.min(cut, bytes.length - 1))));
        }),
      ),
    ),
    fc
      .constantFrom(
        ['gzip', 'gzip header, plain bytes'],
        ['gzip', 'plain bytes'],
        ['gzip', 'truncated gzip'],
        ['gzip', 'inflates to 2 MB'],
        ['deflate', 'plain bytes'],
        ['br', 'plain bytes'],
        ['x-gzip', 'plain bytes'],
        ['zstd', 'plain bytes'],
        ['compress', 'plain bytes'],
        ['gzip, gzip', 'plain bytes'],
      )
      .map(([encoding, what]) =>
        defect('bad content-encoding', `Content-Encoding: ${encoding} (${what})`, (d) => {
          const plain = bodyBytes(d);
          const bytes =
            what === 'gzip header, plain bytes'
              ? Buffer.concat([gzipHeader, plain])
              : what === 'truncated gzip'
                ? gzipSync(plain).subarray(0, -6)
                : what === 'inflates to 2 MB'
                  ? gzipBomb()
                  : plain;
          withBytes(d, bytes, d.headers['content-type']?.startsWith('text/csv') ? d.headers['content-type'] : 'application/json');
          d.headers['content-encoding'] = encoding;
        }),
      ),
    fc.constantFrom('latin1', 'iso-8859-1', 'ascii', 'utf8', 'utf-16le', 'x-unknown', 'shift_jis').map((charset) =>
      defect('unsupported charset', `Content-Type: application/json; charset=${charset}`, (d) => withBytes(d, bodyBytes(d), `application/json; charset=${charset}`)),
    ),
    fc.constantFrom(300, 600).map((kb) =>
      defect('over the size limit', `a ${kb} KB JSON body`, (d) => withBytes(d, Buffer.from(`{"a":"${'x'.repeat(kb * KB)}"}`))),
    ),
  ];
}

function paramDefects(names: string[], literals: Set<string>): fc.Arbitrary<Defect>[] {
  if (names.length === 0) return [];
  const name = fc.constantFrom(...names);
  const value = fc
    .oneof(fc.constantFrom(...BAD_PARAMS), fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }))
    .map((v) => encodeURIComponent(v))
    .filter((v) => !literals.has(v));
  return [
    fc
      .tuple(name, fc.constantFrom(...MALFORMED_PERCENT))
      .map(([n, v]) => defect('malformed percent-encoding', `path :${n} = ${v}`, (d) => void (d.params[n] = v))),
    fc.tuple(name, value).map(([n, v]) => defect('bad path parameter', `path :${n} = ${show(v)}`, (d) => void (d.params[n] = v))),
  ];
}

function queryDefects(schema: JsonSchema | undefined): fc.Arbitrary<Defect>[] {
  const props = Object.entries(schema?.properties ?? {});
  if (props.length === 0) return [];
  const field = fc.constantFrom(...props);
  const validValue = (s: JsonSchema): string => {
    if (s.enum) return String(s.enum[0]);
    if (s.type === 'integer' || s.type === 'number') return String(s.minimum ?? 1);
    return 'x';
  };
  return [
    field.map(([k, s]) =>
      defect('duplicate query parameter', `?${k}=…&${k}=…`, (d) => {
        d.query = d.query.filter(([n]) => n !== k);
        d.query.push([k, encodeURIComponent(validValue(s))], [k, encodeURIComponent(validValue(s))]);
      }),
    ),
    fc.tuple(field, fc.constantFrom(...BAD_QUERY_VALUES)).map(([[k], v]) =>
      defect('bad query value', `?${k}=${show(v)}`, (d) => {
        d.query = d.query.filter(([n]) => n !== k);
        // Values with a % are sent as they are (malformed on purpose); the others encoded.
        d.query.push([k, v.includes('%') ? v : encodeURIComponent(v)]);
      }),
    ),
  ];
}

/** A sections CSV the import refuses: every row has a bad capacity and bad meetings, or the file itself is broken. */
function csvDefects(): fc.Arbitrary<Defect> {
  const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const row = fc
    .tuple(fc.array(fc.constantFrom(...ANY_CELL), { minLength: CSV_COLUMNS.length, maxLength: CSV_COLUMNS.length }), fc.constantFrom(...BAD_CAPACITY), fc.constantFrom(...BAD_MEETINGS))
    .map(([cells, capacity, meetings]) => {
      const r = [...cells];
      r[CSV_COLUMNS.indexOf('capacity')] = capacity;
      r[CSV_COLUMNS.indexOf('meetings')] = meetings;
      return r.map(cell).join(',');
    });
  return fc.oneof(
    fc.array(row, { minLength: 1, maxLength: 3 }).map((rows) =>
      defect('bad CSV', `${rows.length} row(s) with a bad capacity and meetings`, (d) => {
        d.bytes = Buffer.from([CSV_COLUMNS.join(','), ...rows].join('\r\n'));
      }),
    ),
    fc
      .constantFrom(
        ['header only', CSV_COLUMNS.join(',')],
        ['missing columns', 'id,termId\n,1'],
        ['empty file', ''],
        ['unterminated quote', `${CSV_COLUMNS.join(',')}\n"1,2,3`],
        ['binary', '\u0000\u0001\u0002\uffff'],
        ['JSON', '{"sections":[]}'],
      )
      .map(([what, text]) => defect('bad CSV', what, (d) => void (d.bytes = Buffer.from(text)))),
  );
}

// ---- harmless extras (never what makes a case invalid) -------------------------------------------

const extraMembers = fc.array(fc.tuple(fc.constantFrom(...EXTRA_KEYS), fc.constantFrom(...EXTRA_VALUES)), { minLength: 1, maxLength: 3 });
const extraQuery = fc.array(fc.tuple(fc.constantFrom('zzz', '__proto__', 'constructor', 'page[]', 'a'.repeat(300), '%2F'), fc.constantFrom('1', 'x', '')), { minLength: 1, maxLength: 2 });

// ---- a route's cases ----------------------------------------------------------------------------

function toWire(route: Route, d: Draft): WireRequest {
  const path = route.template.replace(/:(\w+)/g, (_, n: string) => d.params[n] ?? '1');
  const query = d.query.map(([k, v]) => `${k}=${v}`).join('&');
  const hasBody = d.bytes !== undefined || d.body !== undefined;
  return {
    method: route.endpoint.method.toUpperCase(),
    path: query ? `${path}?${query}` : path,
    headers: { ...d.headers, ...(d.chunked ? { 'transfer-encoding': 'chunked' } : {}) },
    body: hasBody ? (d.bytes ?? encodeJson(d.body)) : undefined,
  };
}

/** Invalid requests for one route, each with the caller its access admits. */
export function casesFor(route: Route, literals: Set<string>): fc.Arbitrary<FuzzCase> {
  const e = route.endpoint;
  const base = baselineOf(e);
  const bodySchema = jsonSchemaOf(e.body);
  // The route's own inputs weigh four times the defects every route shares (the body parser's),
  // so that a route with a body, parameters or a query spends most of its runs on them.
  const own: fc.Arbitrary<Defect>[] = [
    ...bodyDefects(slotsOf(bodySchema)),
    ...(e.body || e.rawBody ? [contentTypeDefects()] : []),
    ...(e.rawBody ? [csvDefects()] : []),
    ...paramDefects(Object.keys(base.params), literals),
    ...queryDefects(jsonSchemaOf(e.query)),
  ];
  const defects = [...own.map((arbitrary) => ({ arbitrary, weight: 4 })), ...transportDefects().map((arbitrary) => ({ arbitrary, weight: 1 }))];
  return fc
    .record({
      caller: fc.constantFrom(...route.callers),
      defects: fc.array(fc.oneof(...defects), { minLength: 1, maxLength: 2 }),
      extraMembers: e.body ? fc.option(extraMembers, { freq: 3 }) : fc.constant(null),
      extraQuery: fc.option(extraQuery, { freq: 3 }),
      headers: fc.subarray(ODD_HEADERS, { maxLength: 2 }),
      // On DELETE too: the gateway refuses a chunked DELETE (it used to forward it as Content-Length: 0
      // and pipe the body after it: request smuggling, see fuzz.test.ts).
      chunked: fc.boolean(),
    })
    .map(({ caller, defects, extraMembers, extraQuery, headers, chunked }) => {
      const d: Draft = {
        params: { ...base.params },
        query: Object.entries(base.query).map(([k, v]) => [k, encodeURIComponent(v)]),
        body: base.body === undefined ? undefined : structuredClone(base.body),
        headers: Object.fromEntries(headers),
        chunked,
      };
      if (e.body) d.headers['content-type'] = 'application/json';
      if (e.rawBody) {
        d.headers['content-type'] = e.rawBody.contentType;
        d.bytes = Buffer.from(`${CSV_COLUMNS.join(',')}\n`);
      }
      const labels: string[] = [];
      if (extraMembers && d.body !== null && typeof d.body === 'object') {
        for (const [k, v] of extraMembers) setAt(d, [k], v);
        labels.push(`extra members ${extraMembers.map(([k]) => show(k)).join(', ')}`);
      }
      for (const x of defects) x.apply(d);
      if (extraQuery) {
        d.query.push(...extraQuery);
        labels.push(`extra query ${extraQuery.map(([k]) => k.slice(0, 20)).join(', ')}`);
      }
      const wire = toWire(route, d);
      return {
        caller,
        wire,
        families: defects.map((x) => x.family),
        labels: [...defects.map((x) => x.label), ...labels, ...headers.map(([k, v]) => `${k}: ${show(v)}`), ...(chunked ? ['chunked'] : [])],
        refusal: refusalOf(wire, route) ?? '',
      };
    })
    .filter((c) => c.refusal !== '');
}
