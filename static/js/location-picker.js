/* The map picker of the incident form (templates/incidents/location_picker.html).

   The latitude, longitude and precision fields stay the truth: the map writes to them
   (a tap, a dragged marker, the map's centre) and follows them (typed coordinates, the
   device's position filled in by app.js, a new precision). The precision is drawn as a
   circle. Leaflet, topojson-client and the Natural Earth outlines are this site's own
   files (static/vendor/), loaded only when the clerk opens the map; no tile server.
   Where the point falls, the nearest place and the administrative area around it are
   suggested (static/js/place-suggestions.js): written into the place and admin area
   fields while they are empty or hold the last suggestion, offered with a button when
   the clerk typed something else; the fields stay editable. */
(function () {
  "use strict";

  // How far the place may be from the point, per precision (metres), for the circle.
  var RADIUS = { exact: 100, approximate: 2000, near: 5000, admin_area: 50000, country: 250000 };

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function loadStyle(url) {
    return new Promise(function (resolve, reject) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = url;
      link.onload = resolve;
      link.onerror = reject;
      document.head.appendChild(link);
    });
  }

  function number(input, limit) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isFinite(value) && Math.abs(value) <= limit ? value : null;
  }

  function setup(root) {
    var data = root.dataset;
    var latitude = document.getElementById(data.latitude);
    var longitude = document.getElementById(data.longitude);
    var precision = document.getElementById(data.precision);
    var open = root.querySelector("[data-picker-open]");
    var centre = root.querySelector("[data-picker-centre]");
    var holder = root.querySelector("[data-picker-map]");
    var status = root.querySelector("[data-picker-status]");
    if (!latitude || !longitude || !precision || !open || !holder) { return; }
    var map = null, marker = null, circle = null;
    var placeInput = document.getElementById(data.place);
    var areaInput = document.getElementById(data.adminArea);
    var suggestionText = root.querySelector("[data-picker-suggestion-text]");
    var useSuggestion = root.querySelector("[data-picker-suggestion-use]");
    var suggester = null, asked = 0, offered = null, listed = {}, outline = null;
    var written = { place: "", area: "" };  // what the picker wrote last in each field
    var french = (document.documentElement.lang || "").indexOf("fr") === 0;

    function say(text) { status.textContent = text; }

    function point() {
      var lat = number(latitude, 90), lng = number(longitude, 180);
      return lat === null || lng === null ? null : window.L.latLng(lat, lng);
    }

    function radius() { return RADIUS[precision.value] || RADIUS.near; }

    function draw(fit) {
      if (!map) { return; }  // the map is not open (nor Leaflet loaded)
      var at = point();
      if (!at) {
        if (marker) { map.removeLayer(marker); map.removeLayer(circle); marker = circle = null; }
        return;
      }
      if (!marker) {
        marker = window.L.marker(at, { draggable: true, keyboard: true, alt: data.markerLabel, title: data.markerLabel }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), false); });
        circle = window.L.circle(at, { radius: radius(), color: "#00507a", weight: 2, fillOpacity: 0.15, interactive: false, className: "picker-circle" }).addTo(map);
      }
      marker.setLatLng(at);
      circle.setLatLng(at);
      circle.setRadius(radius());
      if (fit) { map.fitBounds(circle.getBounds(), { maxZoom: 9, padding: [16, 16], animate: false }); }
    }

    // The map writes the fields, and says so (the fields are what gets posted).
    function place(latlng, fit) {
      var wrapped = latlng.wrap();
      latitude.value = wrapped.lat.toFixed(5);
      longitude.value = wrapped.lng.toFixed(5);
      draw(fit);
      say(data.placed.replace("{lat}", latitude.value).replace("{lng}", longitude.value));
      suggest();
    }

    function fillList(id, input, names) {
      var list = document.getElementById(id);
      if (!list || !input) { return; }
      list.textContent = "";
      names.forEach(function (name) {
        var option = document.createElement("option");
        option.value = name;
        list.appendChild(option);
      });
      input.setAttribute("list", id);
    }

    // Write a suggestion where the clerk has not typed; say what was written or offered.
    function offer(wanted) {
      var mine = false;
      [["place", placeInput], ["area", areaInput]].forEach(function (pair) {
        var key = pair[0], input = pair[1], value = wanted[key];
        if (!input || !value) { return; }
        var current = input.value.trim();
        if (current === "" || current === written[key]) {
          input.value = value;
          written[key] = value;
        } else if (current !== value) {
          mine = true;
        }
      });
      var text = [wanted.place, wanted.area].filter(Boolean).join(", ");
      offered = mine ? wanted : null;
      useSuggestion.hidden = !mine;
      suggestionText.textContent = (mine ? data.suggested : data.suggestedFilled).replace("{suggestion}", text);
    }

    function suggest() {
      var at = point();
      if (!suggester || !at) { return; }
      var ticket = ++asked;
      suggester.lookup(at.lat, at.lng).then(function (found) {
        if (ticket !== asked) { return; }  // a later point was placed meanwhile
        if (!found || !found.place) { suggestionText.textContent = data.noSuggestion; useSuggestion.hidden = true; }
        if (!found) { return; }
        if (!listed[found.country]) {
          listed[found.country] = true;
          fillList("place-suggestions", placeInput, found.data.places.map(function (p) { return p[0]; }));
          fillList("admin-area-suggestions", areaInput, found.data.features.map(function (f) {
            return french ? f.properties.fr : f.properties.en;
          }));
        }
        var place = "";
        if (found.place) {
          place = found.place.km < 2 ? found.place.name : data.placeNear
            .replace("{place}", found.place.name)
            .replace("{distance}", String(Math.round(found.place.km)))
            .replace("{direction}", data.directions.split(" ")[found.place.direction]);
        }
        var area = found.area ? (french ? found.area.fr : found.area.en) : "";
        // The area suggested, outlined: the clerk sees what the suggestion means.
        if (outline) { map.removeLayer(outline); outline = null; }
        if (found.outline) {
          outline = window.L.geoJSON(found.outline, {
            interactive: false,
            style: { color: "#00507a", weight: 1.5, dashArray: "4 4", fill: false, className: "picker-area" },
          }).addTo(map);
        }
        if (place || area) { offer({ place: place, area: area }); }
        root.setAttribute("data-suggestions-from", found.country);
      }).catch(function () { /* no suggestion: the fields are typed as before */ });
    }

    function start() {
      open.disabled = true;
      say(data.loading);
      Promise.all([
        loadStyle(data.leafletCss),
        loadScript(data.leafletJs).then(function () { return loadScript(data.topojsonJs); }),
      ]).then(function () {
        // Suggestions are a help, not a need: the map works without them.
        return loadScript(data.suggestionsJs).catch(function () { return null; });
      }).then(function () {
        if (window.PlaceSuggestions && data.places) {
          suggester = new window.PlaceSuggestions(JSON.parse(data.places));
        }
        holder.hidden = false;
        map = window.L.map(holder, { worldCopyJump: true, minZoom: 2, maxZoom: 12 }).setView([8, 18], 3);
        map.attributionControl.setPrefix(false);
        map.attributionControl.addAttribution(data.boundariesAttribution);
        if (suggester) { map.attributionControl.addAttribution(data.placesAttribution); }
        map.on("click", function (event) { place(event.latlng, false); });
        open.hidden = true;
        open.setAttribute("aria-expanded", "true");
        centre.hidden = false;
        draw(true);
        say(data.ready);
        suggest();
        return fetch(data.boundariesUrl, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        }).then(function (topology) {
          var home = (data.home || "").split(/\s+/).filter(Boolean).map(function (code) {
            return String(parseInt(code, 10));
          });
          var homeBounds = null;
          function isHome(feature) { return home.indexOf(String(parseInt(feature.id, 10))) !== -1; }
          window.L.geoJSON(window.topojson.feature(topology, topology.objects.countries), {
            interactive: false,
            style: function (feature) {
              return isHome(feature)
                ? { color: "#00507a", weight: 2, fillColor: "#ffffff", fillOpacity: 1 }
                : { color: "#7d8b99", weight: 0.8, fillColor: "#eef2f5", fillOpacity: 1 };
            },
            onEachFeature: function (feature, layer) {
              // Natural Earth ids are ISO 3166 numeric codes, as the countries' M49.
              if (isHome(feature)) {
                homeBounds = homeBounds ? homeBounds.extend(layer.getBounds()) : layer.getBounds();
              }
            },
          }).addTo(map).bringToBack();
          // No point yet: open on the mission's host countries.
          if (!point() && homeBounds) { map.fitBounds(homeBounds); }
          holder.setAttribute("data-boundaries", "loaded");
        });
      }).catch(function () {
        open.disabled = false;
        say(data.failed);
      });
    }

    open.addEventListener("click", start);
    centre.addEventListener("click", function () { if (map) { place(map.getCenter(), false); } });
    [latitude, longitude].forEach(function (input) {
      input.addEventListener("change", function () {
        draw(true);
        if (map && point()) {
          say(data.placed.replace("{lat}", latitude.value).replace("{lng}", longitude.value));
          suggest();
        }
      });
    });
    precision.addEventListener("change", function () { draw(false); });
    useSuggestion.addEventListener("click", function () {
      if (!offered) { return; }
      if (offered.place && placeInput) { placeInput.value = written.place = offered.place; }
      if (offered.area && areaInput) { areaInput.value = written.area = offered.area; }
      offer(offered);
    });
  }

  function init() {
    document.querySelectorAll("[data-location-picker]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
