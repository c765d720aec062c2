#!/usr/bin/env node
// Builds the two time-zone tables in assets/tz/ (Node only; run once, results committed):
//
//   assets/tz/airport_tz.csv   icao,tzid for every bundled airport with an ICAO code, from npm
//                              geo-tz 8.1.9 (exact timezone-boundary-builder polygons, built
//                              from OpenStreetMap: ODbL, "time zones (c) OpenStreetMap contributors")
//   assets/tz/tz_lookup.txt    the npm tz-lookup 6.1.25 grid (CC0): line 1 the packed quadtree
//                              string, then one zone id per line (the tree's leaf list, in order)
//
//   mkdir /tmp/tz && cd /tmp/tz && npm install geo-tz@8.1.9 tz-lookup@6.1.25
//   NODE_PATH=/tmp/tz/node_modules node scripts/build_tz_tables.js
//
// tz-lookup's tz.js keeps its table in two local variables of the minified function
// (`var U="...",T=[...]`); this script reads them out of the source text and evaluates the
// two literals alone. src/render/local_time.cpp walks the same tree (see tz_template.js in
// the package for the commented original).
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.join(__dirname, '..');
const out = path.join(root, 'assets', 'tz');

// 1. tz-lookup's grid.
const src = fs.readFileSync(require.resolve('tz-lookup/tz.js'), 'utf8');
const m = /var U=("(?:[^"\\]|\\.)*"),T=(\[[^\]]*\])/.exec(src);
if (!m) throw new Error('tz-lookup: table literals not found in tz.js (another version?)');
const data = Function('"use strict"; return ' + m[1])();
const list = Function('"use strict"; return ' + m[2])();
if (/\n/.test(data) || list.some((z) => /[\s,]/.test(z))) throw new Error('tz-lookup: unexpected characters in the table');
fs.writeFileSync(path.join(out, 'tz_lookup.txt'), data + '\n' + list.join('\n') + '\n');
// Self-check against the package on a few points (the C++ port is tested on the same).
const tzlookup = require('tz-lookup');
for (const [lat, lon, want] of [[42.7235, -73.6931, 'America/New_York'], [39.2, 125.67, 'Asia/Pyongyang'], [55.75, 37.62, 'Europe/Moscow']]) {
  if (tzlookup(lat, lon) !== want) throw new Error(`tz-lookup(${lat}, ${lon}) = ${tzlookup(lat, lon)}, expected ${want}`);
}

// 2. Airports' zones with geo-tz.
// geo-tz/all: every zone of the tz database (the default 1970 set merges zones alike since 1970:
// Amsterdam would read Europe/Brussels).
const { find } = require('geo-tz/all');
const lines = fs.readFileSync(path.join(root, 'assets', 'airports', 'airports.csv'), 'utf8').split('\n');
const header = lines[0].split(',');
const ci = header.indexOf('icao');
// airports.csv quotes names with commas: split on commas outside quotes.
const split = (line) => {
  const f = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; ++i) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; ++i; } else if (c === '"') q = false; else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') { f.push(cur); cur = ''; } else cur += c;
  }
  f.push(cur);
  return f;
};
const li = header.indexOf('lat'), lo = header.indexOf('lon');
const rows = [];
for (const line of lines.slice(1)) {
  if (!line.trim()) continue;
  const f = split(line);
  const icao = f[ci];
  if (!icao) continue;
  const zones = find(parseFloat(f[li]), parseFloat(f[lo]));
  if (zones.length) rows.push(icao + ',' + zones[0]);
}
rows.sort();
fs.writeFileSync(path.join(out, 'airport_tz.csv'), 'icao,tzid\n' + [...new Set(rows)].join('\n') + '\n');
process.stderr.write(`tz_lookup.txt: ${list.length} zones; airport_tz.csv: ${rows.length} airports\n`);
