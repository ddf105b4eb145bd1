/* Reverse lookup for the incident form's map picker (static/js/location-picker.js): the
   nearest populated place and the first-level administrative area that contains a point,
   from the vendored gazetteer (static/vendor/places/<ISO3>.json, built by
   tools/build-places.js from Natural Earth and GeoNames). A country's file is loaded
   only when a point falls within its extent, and once. Needs topojson-client. */
(function () {
  "use strict";

  // Suggest a place only within this distance of the point (km).
  var NEAREST_WITHIN_KM = 50;

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

    // {country, area: {en, fr} | null, place: {name, km, direction} | null, data} or null.
    this.lookup = function (lat, lng) {
      return Promise.all(candidates(lat, lng).map(load)).then(function (countries) {
        var found = null;
        countries.forEach(function (data) {
          var area = null;
          data.features.some(function (feature) {
            if (contains(feature.geometry, lng, lat)) { area = feature.properties; return true; }
            return false;
          });
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
            found = { country: data.country, area: area, place: nearest, data: data };
          }
        });
        return found;
      });
    };
  }

  window.PlaceSuggestions = PlaceSuggestions;
})();
