/* Reverse lookup for the incident form's map picker (static/js/location-picker.js): the
   nearest populated place and the first-level administrative area that contains a point,
   from the vendored gazetteer (static/vendor/places/<ISO3>.json, built by
   tools/build-places.js from Natural Earth and GeoNames). A country's file is loaded
   only when a point falls within its extent, and once. Needs topojson-client. */
(function () {
  "use strict";

  // Suggest a place only within this distance of the point (km).
  var NEAREST_WITHIN_KM = 50;
  // The areas are simplified (details under about 3 km dropped): a point on a border, a
  // shore or a lake side may fall just outside every one; then the nearest area within
  // this distance (km) is the suggestion.
  var AREA_WITHIN_KM = 10;

  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }

  function contains(geometry, x, y) {
    if (!geometry) { return false; }
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates]
      : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    return polygons.some(function (rings) {
      // Inside the outer ring and in none of its holes (even-odd over all rings).
      var crossings = rings.filter(function (ring) { return inRing(x, y, ring); }).length;
      return crossings % 2 === 1;
    });
  }

  function rings(geometry) {
    if (!geometry) { return []; }
    if (geometry.type === "Polygon") { return geometry.coordinates; }
    if (geometry.type === "MultiPolygon") { return [].concat.apply([], geometry.coordinates); }
    return [];
  }

  // Distance (km) from the point to the nearest edge of an area (equirectangular).
  function distanceTo(geometry, lng, lat) {
    var kx = Math.cos((lat * Math.PI) / 180), best = Infinity;
    rings(geometry).forEach(function (ring) {
      for (var i = 1; i < ring.length; i++) {
        var ax = (ring[i - 1][0] - lng) * kx, ay = ring[i - 1][1] - lat;
        var bx = (ring[i][0] - lng) * kx, by = ring[i][1] - lat;
        var dx = bx - ax, dy = by - ay, length = dx * dx + dy * dy;
        var t = length ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length)) : 0;
        var x = ax + t * dx, y = ay + t * dy;
        best = Math.min(best, x * x + y * y);
      }
    });
    return (Math.sqrt(best) * Math.PI * 6371) / 180;
  }

  // Distance (km) and the compass direction from a place to the point: equirectangular,
  // exact enough at the scale of a suggestion.
  function offset(place, lat, lng) {
    var rad = Math.PI / 180;
    var dx = (lng - place[2]) * Math.cos(((lat + place[1]) / 2) * rad);
    var dy = lat - place[1];
    var km = Math.sqrt(dx * dx + dy * dy) * rad * 6371;
    var bearing = (Math.atan2(dx, dy) / rad + 360) % 360;
    return { km: km, direction: Math.round(bearing / 45) % 8 };
  }

  function PlaceSuggestions(index) {
    var loaded = {};

    function load(code) {
      if (!loaded[code]) {
        loaded[code] = fetch(index[code].url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        }).then(function (data) {
          data.features = window.topojson.feature(data.areas, data.areas.objects.areas).features;
          return data;
        });
        loaded[code].catch(function () { delete loaded[code]; });  // try again next time
      }
      return loaded[code];
    }

    function candidates(lat, lng) {
      return Object.keys(index).filter(function (code) {
        var b = index[code].bbox;
        return lng >= b[0] && lng <= b[2] && lat >= b[1] && lat <= b[3];
      });
    }

    // {country, area: {en, fr} | null, outline: the area's GeoJSON feature | null,
    //  place: {name, km, direction} | null, data} or null.
    this.lookup = function (lat, lng) {
      return Promise.all(candidates(lat, lng).map(load)).then(function (countries) {
        var found = null;
        countries.forEach(function (data) {
          var area = null, outline = null;
          data.features.some(function (feature) {
            if (contains(feature.geometry, lng, lat)) { area = feature.properties; outline = feature; return true; }
            return false;
          });
          if (!area) {
            var closest = AREA_WITHIN_KM;
            data.features.forEach(function (feature) {
              var km = distanceTo(feature.geometry, lng, lat);
              if (km <= closest) { closest = km; area = feature.properties; outline = feature; }
            });
          }
          var nearest = null;
          data.places.forEach(function (place) {
            var at = offset(place, lat, lng);
            if (at.km <= NEAREST_WITHIN_KM && (!nearest || at.km < nearest.km)) {
              nearest = { name: place[0], km: at.km, direction: at.direction };
            }
          });
          // The country whose area holds the point wins; else the one with the nearer place.
          var better = !found || (area && !found.area)
            || (!area === !found.area && nearest && (!found.place || nearest.km < found.place.km));
          if (better && (area || nearest)) {
            found = { country: data.country, area: area, outline: outline, place: nearest, data: data };
          }
        });
        return found;
      });
    };
  }

  window.PlaceSuggestions = PlaceSuggestions;
})();
