/* The incident map (accountability:incident_map).
 *
 * Everything comes from this site: Leaflet and topojson-client from static/vendor/, the
 * Natural Earth country boundaries (world-atlas countries-110m.json) from static/vendor/,
 * the filtered incidents as GeoJSON from the page's data-url. Tiles are drawn only when
 * the site sets MAP_TILE_URL (data-tile-url). No inline script or style: the CSP allows
 * only files from this site, and the container's height is set through the CSSOM.
 * Points that crowd are clustered (vendored leaflet.markercluster); incidents without
 * coordinates are counted on their country's shape (the GeoJSON's `unlocated`), so they
 * do not disappear. The legend is the page's own HTML.
 */
(function () {
  "use strict";

  var container = document.getElementById("incident-map");
  var status = document.getElementById("incident-map-status");
  if (!container || !window.L || !window.topojson || !window.fetch) {
    return;
  }
  var data = container.dataset;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(url + ": " + response.status);
        }
        return response.json();
      });
  }

  // Text only, never HTML: references and places are user input.
  function popup(properties, labels) {
    var box = document.createElement("div");
    var title = document.createElement(properties.url ? "a" : "strong");
    title.textContent = properties.reference;
    if (properties.url) {
      title.href = properties.url;
    }
    box.appendChild(title);
    var lines = [
      properties.date + " — " + properties.mission,
      properties.incident_type + (properties.attack_type ? " — " + properties.attack_type : ""),
      properties.place,
      properties.killed + " " + labels.killed + ", " + properties.injured + " " + labels.injured,
    ];
    lines.forEach(function (line) {
      if (line) {
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(line));
      }
    });
    return box;
  }

  say(data.loading);
  container.style.height = "32rem";
  var map = L.map(container, {
    worldCopyJump: true,
    minZoom: 1,
    maxZoom: data.tileUrl ? 18 : 10,
  }).setView([8, 18], 3);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(data.boundariesAttribution);
  if (data.tileUrl) {
    L.tileLayer(data.tileUrl, { attribution: data.tileAttribution || "" }).addTo(map);
  }

  var countries = null;
  var places = data.places ? JSON.parse(data.places) : {};
  var countryCounts = {};  // ISO3 -> {row, marker}
  var spread = {};  // ISO3 -> true once its areas are drawn (or being drawn)
  var areasShown = 0;

  function countLabel(latlng, count, title, key) {
    var text = String(count);
    var icon = L.divIcon({ className: "map-count", html: "", iconSize: [8 + text.length * 8, 18] });
    var marker = L.marker(latlng, { icon: icon, interactive: false, keyboard: false });
    marker.on("add", function () {
      var element = marker.getElement();
      element.textContent = text;
      element.setAttribute("title", title);
      element.setAttribute("data-unlocated", key);
    });
    return marker.addTo(map);
  }

  function label(count, name) {
    return data.unlocatedLabel.replace("{count}", String(count)).replace("{country}", name);
  }

  // Countries holding incidents without coordinates: shaded, with their number. The
  // Natural Earth ids are ISO 3166 numeric codes, as the countries' M49.
  function countUnlocated(rows) {
    var byCode = {};
    (rows || []).forEach(function (row) {
      if (row.m49) { byCode[String(parseInt(row.m49, 10))] = row; }
    });
    var shown = 0;
    return L.geoJSON(countries, {
      interactive: false,
      filter: function (feature) { return Boolean(byCode[String(parseInt(feature.id, 10))]); },
      style: { color: "#00507a", weight: 1.2, fillColor: "#c9dcf0", fillOpacity: data.tileUrl ? 0.5 : 1 },
      onEachFeature: function (feature, layer) {
        var row = byCode[String(parseInt(feature.id, 10))];
        var marker = countLabel(layer.getBounds().getCenter(), row.count, label(row.count, row.name), row.iso3);
        countryCounts[row.iso3] = { row: row, marker: marker };
        shown += 1;
        container.setAttribute("data-unlocated-countries", String(shown));
      },
    }).addTo(map);
  }

  // "Ouaka Prefecture", "ouaka", "Ouaka " are one area.
  function key(name) {
    return String(name || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\b(economic )?(prefecture|province|governorate|region|district|state)\b/g, "")
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  // Zoomed in on a country whose incidents without coordinates name their administrative
  // area: its areas (the incident form's vendored file, fetched only now) carry their own
  // numbers, and the country's number keeps the rest.
  function spreadOverAreas() {
    if (map.getZoom() < 5) { return; }
    var view = map.getBounds();
    Object.keys(countryCounts).forEach(function (code) {
      var row = countryCounts[code].row, file = places[code];
      if (spread[code] || !file || !row.areas || !row.areas.length) { return; }
      var b = file.bbox;
      if (!view.intersects(L.latLngBounds([b[1], b[0]], [b[3], b[2]]))) { return; }
      spread[code] = true;
      getJSON(file.url).then(function (json) {
        var byName = {};
        window.topojson.feature(json.areas, json.areas.objects.areas).features.forEach(function (feature) {
          byName[key(feature.properties.en)] = feature;
          byName[key(feature.properties.fr)] = feature;
        });
        var placed = 0;
        row.areas.forEach(function (area) {
          var feature = byName[key(area.name)];
          if (!feature) { return; }
          placed += area.count;
          var shape = L.geoJSON(feature, {
            interactive: false,
            style: { color: "#00507a", weight: 1, dashArray: "3 3", fillColor: "#a9c8e6", fillOpacity: data.tileUrl ? 0.5 : 1 },
          }).addTo(map);
          countLabel(shape.getBounds().getCenter(), area.count, label(area.count, area.name + ", " + row.name), code + ":" + area.name);
          areasShown += 1;
        });
        var rest = row.count - placed;
        var marker = countryCounts[code].marker;
        map.removeLayer(marker);
        if (rest > 0) {
          countryCounts[code].marker = countLabel(marker.getLatLng(), rest, label(rest, row.name), code);
        }
        container.setAttribute("data-unlocated-areas", String(areasShown));
      }).catch(function () { spread[code] = false; });
    });
  }

  getJSON(data.boundariesUrl)
    .then(function (topology) {
      countries = window.topojson.feature(topology, topology.objects.countries);
      L.geoJSON(countries, {
        interactive: false,
        style: {
          color: "#7d8b99",
          weight: 0.7,
          fillColor: "#eef2f5",
          fillOpacity: data.tileUrl ? 0 : 1,
        },
      }).addTo(map);
      container.setAttribute("data-boundaries", "loaded");
      return getJSON(data.url);
    })
    .then(function (collection) {
      var labels = collection.labels || { killed: "killed", injured: "injured" };
      var shaded = countUnlocated(collection.unlocated);
      // Crowded points become one numbered circle until zoomed in.
      var cluster = L.markerClusterGroup
        ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 })
        : L.featureGroup();
      var layer = L.geoJSON(collection, {
        pointToLayer: function (feature, latlng) {
          var p = feature.properties;
          return L.circleMarker(latlng, {
            radius: 5 + Math.min(10, Math.sqrt(p.killed + p.injured) * 2),
            color: "#7a1c15",
            weight: 1,
            fillColor: p.killed ? "#b3261e" : "#e07b00",
            fillOpacity: 0.8,
          });
        },
        onEachFeature: function (feature, marker) {
          marker.bindPopup(popup(feature.properties, labels));
        },
      });
      cluster.addLayer(layer).addTo(map);
      var bounds = collection.features.length ? layer.getBounds() : null;
      if (shaded.getLayers().length) {
        bounds = bounds ? bounds.extend(shaded.getBounds()) : shaded.getBounds();
      }
      if (bounds) {
        // Not animated, so that the first view is set before the listener below: the
        // areas' files are fetched when the reader zooms in, not on the first load.
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 8, animate: false });
      }
      map.on("zoomend moveend", spreadOverAreas);
      container.setAttribute("data-incidents", String(collection.features.length));
      say(labels.shown + (collection.truncated ? " " + labels.truncated : ""));
    })
    .catch(function () {
      container.setAttribute("data-boundaries", container.getAttribute("data-boundaries") || "failed");
      say(data.failed);
    });
})();
