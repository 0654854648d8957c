#!/usr/bin/env node
// Generates KPL aggregation test vectors for kinesisx/kpl with an encoder
// that is not ours: the npm package aws-kinesis-agg (awslabs), pinned in
// package.json. It also checks, with that package's deaggregator, the
// aggregates that our Go encoder wrote to ours.json.
//
// Run it outside the repository so node_modules never lands in it:
//
//   mkdir -p /tmp/kplgen && cp testdata/kpl/package.json testdata/kpl/gen.js /tmp/kplgen/
//   (cd /tmp/kplgen && npm install --no-audit --no-fund)
//   node /tmp/kplgen/gen.js testdata/kpl             # writes vectors.json, large.bin; checks ours.json
//   node /tmp/kplgen/gen.js testdata/kpl --check-only # only checks ours.json
//
// Output: vectors.json = {generator, vectors: [{name, aggregate (base64) |
// file, records: [{partitionKey, explicitHashKey?, data (base64) |
// dataLength + dataSHA256}]}]}. Every vector is decoded again with the
// package's own deaggregator (checksums on) before it is written.
//
// Trap found in aws-kinesis-agg 4.2.8: its key tables come from
// Object.keys(), which lists integer-like keys ("7", "42") first in numeric
// order, so aggregates whose partition keys look like integers get indices
// that point at the wrong key. The vectors avoid such keys; the self-check
// below would catch them. Its deaggregator also gives a record without an
// explicit hash key index the table's first key (see explicitKeys).
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const agg = require('aws-kinesis-agg');
const common = require('aws-kinesis-agg/lib/common');
const { RecordAggregator } = require('aws-kinesis-agg/lib/kpl-agg');

const GENERATOR = 'aws-kinesis-agg ' + require('aws-kinesis-agg/package.json').version;

// Deterministic bytes (xorshift32) so that a rerun writes the same files.
function prng(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13; x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5; x >>>= 0;
      b[i] = x & 0xff;
    }
    return b;
  };
}

// build aggregates records with the package's RecordAggregator and fails
// if they do not all fit in one Kinesis record.
function build(records) {
  const a = new RecordAggregator();
  for (const r of records) {
    const rec = { partitionKey: r.partitionKey, data: r.data };
    if (r.explicitHashKey) rec.explicitHashKey = r.explicitHashKey;
    a.addUserRecord(rec); // throws when it does not fit
  }
  return a.build().data;
}

// deaggregate decodes an aggregate with the package's deaggregator.
function deaggregate(buf) {
  let out;
  agg.deaggregateSync({ data: buf.toString('base64'), sequenceNumber: '1', partitionKey: 'outer' }, true,
    (err, recs) => { if (err) throw err; out = recs; });
  return out;
}

// explicitKeys returns each sub-record's explicit hash key ('' when the
// field is absent), read from the package's protobuf decoder: its
// deaggregator reports table[0] for records that have no index, because
// protobufjs fills in the default 0.
function explicitKeys(buf) {
  const m = common.AggregatedRecord.decode(buf.slice(4, buf.length - 16));
  return m.records.map((r) => (Object.prototype.hasOwnProperty.call(r, 'explicit_hash_key_index')
    ? m.explicit_hash_key_table[Number(r.explicit_hash_key_index)] : ''));
}

// sameRecords checks that the package decodes buf into want.
function sameRecords(name, buf, want) {
  const got = deaggregate(buf);
  const ehks = explicitKeys(buf);
  if (got.length !== want.length) throw new Error(`${name}: ${got.length} records, want ${want.length}`);
  want.forEach((w, i) => {
    const g = got[i];
    if (g.partitionKey !== w.partitionKey) throw new Error(`${name}[${i}]: key ${g.partitionKey}, want ${w.partitionKey}`);
    if (ehks[i] !== (w.explicitHashKey || '')) throw new Error(`${name}[${i}]: ehk ${ehks[i]}, want ${w.explicitHashKey}`);
    if (!Buffer.from(g.data, 'base64').equals(w.data)) throw new Error(`${name}[${i}]: data differs`);
    if (g.subSequenceNumber !== i) throw new Error(`${name}[${i}]: subsequence ${g.subSequenceNumber}`);
  });
}

function vectors() {
  const rnd = prng(20261126);
  const v = [];
  v.push({ name: 'single', records: [{ partitionKey: 'single-key', data: Buffer.from('hello kinesis') }] });

  const many = [];
  for (let i = 0; i < 500; i++) {
    many.push({ partitionKey: `key-${i}`, data: Buffer.from(JSON.stringify({ n: i, at: `2026-11-26T07:${String(i % 60).padStart(2, '0')}:00Z` })) });
  }
  v.push({ name: 'many', records: many });

  const repeated = [];
  const keys = ['alpha', 'beta', 'gamma'];
  for (let i = 0; i < 100; i++) repeated.push({ partitionKey: keys[(i * 7) % 3], data: Buffer.from(`event ${i}`) });
  v.push({ name: 'repeated-keys', records: repeated });

  const ehks = ['0', '170141183460469231731687303715884105728', '340282366920938463463374607431768211455'];
  const explicit = [];
  for (let i = 0; i < 12; i++) {
    const r = { partitionKey: `pk-${i % 4}`, data: Buffer.from(`with hash key ${i}`) };
    if (i % 3 !== 2) r.explicitHashKey = ehks[i % ehks.length];
    explicit.push(r);
  }
  v.push({ name: 'explicit-hash-keys', records: explicit });

  v.push({ name: 'empty-data', records: [
    { partitionKey: 'e', data: Buffer.alloc(0) },
    { partitionKey: 'e', data: Buffer.from('x') },
    { partitionKey: 'f', data: Buffer.alloc(0) },
  ] });

  v.push({ name: 'unicode-keys', records: [
    { partitionKey: 'ключ', data: Buffer.from('данные') },
    { partitionKey: '鍵🔑', data: Buffer.from('データ 🚀') },
    { partitionKey: 'clé', explicitHashKey: '42', data: Buffer.from('donnée') },
    { partitionKey: 'ключ', data: Buffer.from('ещё') },
  ] });

  const binary = [];
  for (let i = 0; i < 20; i++) binary.push({ partitionKey: `bin-${i % 5}`, data: rnd(1 + i * 37) });
  v.push({ name: 'binary-data', records: binary });

  // Fill one aggregate up to the package's 1 MiB limit.
  const large = [];
  const a = new RecordAggregator();
  for (let i = 0; ; i++) {
    const r = { partitionKey: `large-${i % 16}`, data: rnd(8192) };
    if (!a.checkIfUserRecordFits({ partitionKey: r.partitionKey, data: r.data })) break;
    a.addUserRecord({ partitionKey: r.partitionKey, data: r.data });
    large.push(r);
  }
  v.push({ name: 'large', file: 'large.bin', records: large });
  return v;
}

function generate(dir) {
  const out = [];
  for (const vec of vectors()) {
    const buf = build(vec.records);
    sameRecords(vec.name, buf, vec.records);
    const entry = { name: vec.name };
    const big = buf.length > 64 * 1024;
    if (vec.file) {
      fs.writeFileSync(path.join(dir, vec.file), buf);
      entry.file = vec.file;
    } else {
      entry.aggregate = buf.toString('base64');
    }
    entry.records = vec.records.map((r) => {
      const e = { partitionKey: r.partitionKey };
      if (r.explicitHashKey) e.explicitHashKey = r.explicitHashKey;
      if (big) {
        e.dataLength = r.data.length;
        e.dataSHA256 = crypto.createHash('sha256').update(r.data).digest('hex');
      } else {
        e.data = r.data.toString('base64');
      }
      return e;
    });
    out.push(entry);
    console.log(`${vec.name}: ${vec.records.length} records, ${buf.length} bytes`);
  }
  fs.writeFileSync(path.join(dir, 'vectors.json'), JSON.stringify({ generator: GENERATOR, vectors: out }, null, 1) + '\n');
}

// checkOurs decodes, with the package's deaggregator, every aggregate that
// kinesisx/kpl wrote to ours.json (go test ./kinesisx/kpl -run TestOurs -update).
function checkOurs(dir) {
  const file = path.join(dir, 'ours.json');
  if (!fs.existsSync(file)) {
    console.log('no ours.json to check');
    return;
  }
  const ours = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const vec of ours.vectors) {
    const want = vec.records.map((r) => ({ partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey, data: Buffer.from(r.data || '', 'base64') }));
    sameRecords('ours/' + vec.name, Buffer.from(vec.aggregate, 'base64'), want);
    console.log(`ours/${vec.name}: ${want.length} records accepted by ${GENERATOR}`);
  }
}

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--')) || __dirname;
if (!args.includes('--check-only')) generate(dir);
checkOurs(dir);
