/* Small progressive enhancements. Every page works without them: forms post normally,
   coordinates are typed, extra casualty rows come from the server. Loaded with defer,
   from 'self' only (the CSP allows no inline script). */
(function () {
  "use strict";

  // Controls that only make sense with JavaScript are rendered hidden; show them.
  function showJsOnly(root) {
    root.querySelectorAll(".js-only[hidden]").forEach(function (el) { el.hidden = false; });
  }

  // After a failed submission, take keyboard and screen-reader users to the summary.
  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary[tabindex]");
    if (summary) { summary.focus(); }
  }

  // A search box over a long list of checkboxes (the armed-group register).
  function filterLists(root) {
    root.querySelectorAll("[data-filter-list]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("data-filter-list"));
      if (!list) { return; }
      input.addEventListener("input", function () {
        var query = input.value.trim().toLocaleLowerCase();
        list.querySelectorAll("label").forEach(function (label) {
          var box = label.querySelector("input");
          var match = !query || (box && box.checked) ||
            label.textContent.toLocaleLowerCase().indexOf(query) !== -1;
          label.parentElement.hidden = !match;
        });
      });
    });
  }

  // "Add another casualty": clone the formset's empty row and count it.
  function addRows(root) {
    root.querySelectorAll("[data-add-row]").forEach(function (button) {
      var prefix = button.getAttribute("data-add-row");
      var template = document.getElementById(prefix + "-template");
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var rows = document.querySelector('[data-formset="' + prefix + '"]');
      if (!template || !total || !rows) { return; }
      button.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        var html = template.innerHTML
          .replace(/__prefix__/g, String(index))
          .replace(/__number__/g, String(index + 1));
        rows.insertAdjacentHTML("beforeend", html);
        total.value = String(index + 1);
        var first = rows.lastElementChild && rows.lastElementChild.querySelector("input, select");
        if (first) { first.focus(); }
      });
    });
  }

  // "Use my current position": the device's GPS fills the coordinates (no network).
  function geolocate(root) {
    root.querySelectorAll("[data-geolocate]").forEach(function (button) {
      var holder = button.parentElement;
      if (!("geolocation" in navigator)) { holder.hidden = true; return; }
      var status = holder.querySelector("[data-geolocate-status]");
      button.addEventListener("click", function () {
        status.textContent = button.getAttribute("data-waiting");
        navigator.geolocation.getCurrentPosition(function (position) {
          var latitude = document.getElementById(button.getAttribute("data-latitude"));
          var longitude = document.getElementById(button.getAttribute("data-longitude"));
          latitude.value = position.coords.latitude.toFixed(5);
          longitude.value = position.coords.longitude.toFixed(5);
          var precision = document.getElementById(button.getAttribute("data-precision"));
          // The device's own accuracy picks the precision (the map picker draws it).
          if (precision) {
            precision.value = position.coords.accuracy <= 100 ? "exact"
              : position.coords.accuracy <= 2000 ? "approximate" : "near";
            precision.dispatchEvent(new Event("change"));
          }
          longitude.dispatchEvent(new Event("change"));
          status.textContent = button.getAttribute("data-done") +
            " (± " + Math.round(position.coords.accuracy) + " m)";
        }, function () {
          status.textContent = button.getAttribute("data-failed");
        }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
      });
    });
  }

  // Wide tables become one card per row on phones (app.css): each cell is labelled with
  // its column's heading. Without JavaScript they scroll inside their frame instead.
  function stackTables(root) {
    root.querySelectorAll(".table-wrap > table").forEach(function (table) {
      var headings = Array.prototype.map.call(
        table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      if (headings.length < 4) { return; }
      table.setAttribute("data-stacked", "");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (headings[index] && !cell.hasAttribute("colspan")) {
            cell.setAttribute("data-label", headings[index]);
          }
        });
      });
    });
  }

  // After htmx refreshes the incident list, say how many incidents match.
  document.addEventListener("htmx:afterSwap", function (event) {
    stackTables(event.target || document);
    var count = document.querySelector("[data-result-count]");
    var status = document.getElementById("results-status");
    if (count && status) { status.textContent = count.textContent.trim(); }
  });

  function init() {
    showJsOnly(document);
    filterLists(document);
    addRows(document);
    geolocate(document);
    stackTables(document);
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
