/* The incident map (accountability:incident_map).
 *
 * Everything comes from this site: Leaflet and topojson-client from static/vendor/, the
 * Natural Earth country boundaries (world-atlas countries-110m.json) from static/vendor/,
 * the filtered incidents as GeoJSON from the page's data-url. Tiles are drawn only when
 * the site sets MAP_TILE_URL (data-tile-url). No inline script or style: the CSP allows
 * only files from this site, and the container's height is set through the CSSOM.
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

  getJSON(data.boundariesUrl)
    .then(function (topology) {
      var countries = window.topojson.feature(topology, topology.objects.countries);
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
      }).addTo(map);
      if (collection.features.length) {
        map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 8 });
      }
      container.setAttribute("data-incidents", String(collection.features.length));
      say(labels.shown + (collection.truncated ? " " + labels.truncated : ""));
    })
    .catch(function () {
      container.setAttribute("data-boundaries", container.getAttribute("data-boundaries") || "failed");
      say(data.failed);
    });
})();
