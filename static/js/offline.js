/* Working without the link, page side (the worker is templates/offline/sw.js).

   - Registers the service worker and tells it who is signed in, so it keeps this user's
     copy of the incident form and the drafts list.
   - The outbox: an incident form saved or submitted while offline is kept in IndexedDB
     (one database per user: "pk-outbox-<user id>"), evidence files included up to the
     size limit, listed on every page, and sent when the connection returns. Each new
     incident carries its own idempotency key, so a send repeated (a lost answer, two
     tabs) never records it twice; an edit carries the version it was made on, so the
     server's conflict page (409) catches a change made meanwhile.
   - At logout, this user's outbox and kept pages are deleted before the logout is posted
     (the server's answer also clears the site's storage).
   Text comes from the page (data-* attributes, translated by the server). */
(function () {
  "use strict";

  var body = document.body;
  var outbox = document.getElementById("outbox");
  var db = null;
  var sending = false;
  var leaving = false;  // logging out: the outbox is being deleted, never reopened

  function text(name, values) {
    var value = (outbox && outbox.getAttribute("data-" + name)) || "";
    Object.keys(values || {}).forEach(function (key) {
      value = value.split("{" + key + "}").join(String(values[key]));
    });
    return value;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- who is signed in --------------------------------------------------------------

  // From the page; on the worker's offline page (the same for everyone), from the worker.
  function currentUser() {
    var user = body.getAttribute("data-user");
    if (user) { return Promise.resolve(user); }
    if (!body.hasAttribute("data-offline-page") || !window.caches) { return Promise.resolve(""); }
    return caches.open("pk-meta")
      .then(function (cache) { return cache.match("/__pk/user"); })
      .then(function (response) { return response ? response.text() : ""; })
      .catch(function () { return ""; });
  }

  // --- IndexedDB ---------------------------------------------------------------------

  function dbName(user) { return "pk-outbox-" + user; }

  function openDb(user) {
    if (leaving) { return Promise.reject(new Error("logging out")); }
    if (db) { return Promise.resolve(db); }
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(dbName(user), 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("items", { keyPath: "key" });
      };
      request.onsuccess = function () {
        if (leaving) { request.result.close(); reject(new Error("logging out")); return; }
        db = request.result;
        db.onversionchange = function () { db.close(); db = null; };
        resolve(db);
      };
      request.onerror = function () { reject(request.error); };
    });
  }

  function store(user, mode, work) {
    return openDb(user).then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction("items", mode);
        var result = work(tx.objectStore("items"));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function allItems(user) {
    return store(user, "readonly", function (items) { return items.getAll(); })
      .then(function (list) {
        return (list || []).sort(function (a, b) { return a.createdAt - b.createdAt; });
      });
  }
  function putItem(user, item) { return store(user, "readwrite", function (items) { items.put(item); }); }
  function deleteItem(user, key) { return store(user, "readwrite", function (items) { items.delete(key); }); }

  // --- the outbox on the page ---------------------------------------------------------

  function say(message) {
    var status = document.getElementById("outbox-status");
    if (!status) { return; }
    status.textContent = message;
    status.hidden = !message;
  }

  // A record kept by the worker has only the type's value: its label, if this page has it.
  function typeLabel(summary) {
    if (summary.type || !summary.typeValue) { return summary.type; }
    var option = document.querySelector(
      'select[name="incident_type"] option[value="' + summary.typeValue.replace(/"/g, "") + '"]');
    return option ? option.text : summary.typeValue;
  }

  function render(user) {
    if (!outbox || !user) { return Promise.resolve(); }
    return allItems(user).then(function (items) {
      outbox.hidden = items.length === 0;
      var title = document.getElementById("outbox-title");
      title.textContent = text(items.length === 1 ? "one" : "many", { n: items.length });
      var list = outbox.querySelector(".outbox-items");
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.setAttribute("data-outbox-item", item.key);
        var what = [item.summary.date, item.summary.place || text("no-place"), typeLabel(item.summary)]
          .filter(Boolean).join(" — ");
        var state = document.createElement("span");
        state.className = "muted";
        state.textContent = " — " + text(item.state === "waiting" ? (sending ? "sending" : "waiting") : item.state);
        li.appendChild(document.createTextNode(what));
        li.appendChild(state);
        if (item.message) {
          var why = document.createElement("span");
          why.className = "outbox-why";
          why.textContent = item.message;
          li.appendChild(why);
        }
        if (item.state === "refused" || item.state === "conflict") {
          var open = document.createElement("button");
          open.type = "button";
          open.textContent = text("open");
          open.addEventListener("click", function () { openInForm(user, item); });
          li.appendChild(document.createTextNode(" "));
          li.appendChild(open);
        }
        list.appendChild(li);
      });
      var send = outbox.querySelector("[data-outbox-send]");
      if (send) { send.hidden = !navigator.onLine; }
      return items;
    });
  }

  // --- keeping a form ----------------------------------------------------------------

  function summary(form) {
    function value(name) {
      var field = form.elements.namedItem(name);
      return field && field.value ? field.value : "";
    }
    var type = form.elements.namedItem("incident_type");
    return {
      date: value("occurred_date"),
      place: value("place"),
      type: type && type.selectedIndex > 0 ? type.options[type.selectedIndex].text : "",
      typeValue: type ? type.value : "",
    };
  }

  function keep(user, form, submitter) {
    var data = new FormData(form, submitter);
    var max = parseInt(form.getAttribute("data-max-bytes") || "0", 10);
    var fields = [];
    var files = [];
    var tooBig = null;
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") { return; }
      if (value instanceof File) {
        if (!value.name && !value.size) { return; }  // an empty file input
        if (max && value.size > max) { tooBig = value; }
        files.push([name, value]);
      } else {
        fields.push([name, value]);
      }
    });
    if (tooBig) {
      return Promise.reject(new Error(text("too-big", {
        name: tooBig.name, size: Math.round(max / 1048576),
      })));
    }
    var key = null;
    fields.forEach(function (pair) {
      if (pair[0] === "idempotency_key") { pair[1] = key = newKey(); }
    });
    var item = {
      key: key || newKey(),
      // Not form.action: the submit buttons are named "action" and would shadow it.
      action: new URL(form.getAttribute("action") || location.href, location.href).href,
      fields: fields,
      files: files,
      summary: summary(form),
      state: "waiting",
      message: "",
      createdAt: Date.now(),
    };
    return putItem(user, item).then(function () { return item; });
  }

  function interceptForms(user) {
    document.querySelectorAll("form[data-outbox]").forEach(function (form) {
      // A new key for each page of the new-incident form: the copy the worker keeps for
      // offline use carries the key it was fetched with, and two incidents logged from
      // it must not share one. (A repeated post from the same page keeps the same key.)
      var key = form.elements.namedItem("idempotency_key");
      if (key) { key.value = newKey(); }
      form.addEventListener("submit", function (event) {
        if (navigator.onLine) { return; }  // online: the normal post, nothing kept
        event.preventDefault();
        keep(user, form, event.submitter).then(function () {
          if (form.elements.namedItem("idempotency_key")) {
            form.reset();  // a new incident: the form is ready for the next one
            form.elements.namedItem("idempotency_key").value = newKey();
          }
          return render(user);
        }).then(function () {
          say(text("saved"));
          outbox.scrollIntoView({ block: "start" });
        }).catch(function (error) {
          say(error.message);
        });
      });
    });
  }

  // --- sending -----------------------------------------------------------------------

  function parse(html) { return new DOMParser().parseFromString(html, "text/html"); }

  function loginPage(response) { return /\/accounts\/login\//.test(response.url); }

  function sendItem(user, item) {
    // A fresh CSRF token, from the form's own page (the kept copy may be old).
    return fetch(item.action, { credentials: "same-origin", cache: "no-store" })
      .then(function (page) {
        if (loginPage(page)) { return "login"; }
        if (!page.ok) { return "later"; }
        return page.text().then(function (html) {
          var token = parse(html).querySelector("input[name=csrfmiddlewaretoken]");
          var data = new FormData();
          data.append("csrfmiddlewaretoken", token ? token.value : "");
          item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
          item.files.forEach(function (pair) { data.append(pair[0], pair[1], pair[1].name); });
          return fetch(item.action, { method: "POST", body: data, credentials: "same-origin" });
        }).then(function (response) {
          if (loginPage(response)) { return "login"; }
          if (response.ok && response.redirected) {
            var match = /\/incidents\/([^/]+)\/$/.exec(new URL(response.url).pathname);
            return { sent: match ? decodeURIComponent(match[1]) : "" };
          }
          if (response.status === 400 || response.status === 403 || response.status === 409) {
            return response.text().then(function (html) {
              var errors = parse(html).querySelector(".error-summary");
              item.state = response.status === 409 ? "conflict" : "refused";
              item.message = errors ? " " + errors.textContent.replace(/\s+/g, " ").trim().slice(0, 300) : "";
              return putItem(user, item).then(function () { return "kept"; });
            });
          }
          return "later";  // the server is unwell (5xx): try again later
        });
      })
      .catch(function () { return "later"; });  // the link dropped again
  }

  function sendAll(user) {
    if (sending || !navigator.onLine || !user) { return Promise.resolve(); }
    function run() {
      sending = true;
      return allItems(user).then(function (items) {
        var waiting = items.filter(function (item) { return item.state === "waiting" || item.state === "login"; });
        var sent = [];
        var chain = render(user);
        var stop = false;
        waiting.forEach(function (item) {
          chain = chain.then(function () {
            if (stop) { return null; }
            return sendItem(user, item).then(function (outcome) {
              if (outcome && outcome.sent !== undefined) {
                sent.push(outcome.sent);
                return deleteItem(user, item.key);
              }
              if (outcome === "login") {
                item.state = "login";
                stop = true;
                return putItem(user, item);
              }
              if (outcome === "later") { stop = true; }
              return null;
            });
          });
        });
        return chain.then(function () {
          if (sent.length) { say(sent.map(function (ref) { return text("sent", { ref: ref }); }).join(" ")); }
        });
      }).finally(function () {
        sending = false;
        return render(user);
      });
    }
    // One sender per user across this browser's tabs.
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("pk-outbox-" + user, { ifAvailable: true }, function (lock) {
        return lock ? run() : null;
      });
    }
    return run();
  }

  // A refused or conflicting item, opened: posted as a normal navigation, so the server's
  // own page (errors, or both versions on a conflict) shows with everything filled in.
  function openInForm(user, item) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = item.action;
    form.enctype = "multipart/form-data";
    form.hidden = true;
    fetch(item.action, { credentials: "same-origin", cache: "no-store" })
      .then(function (page) { return page.text(); })
      .then(function (html) {
        var token = parse(html).querySelector("input[name=csrfmiddlewaretoken]");
        var pairs = [["csrfmiddlewaretoken", token ? token.value : ""]].concat(item.fields);
        pairs.forEach(function (pair) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = pair[0];
          input.value = pair[1];
          form.appendChild(input);
        });
        var byName = {};
        item.files.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
        Object.keys(byName).forEach(function (name) {
          var input = document.createElement("input");
          input.type = "file";
          input.name = name;
          input.multiple = true;
          var transfer = new DataTransfer();
          byName[name].forEach(function (file) { transfer.items.add(file); });
          input.files = transfer.files;
          form.appendChild(input);
        });
        document.body.appendChild(form);
        return deleteItem(user, item.key);
      })
      .then(function () { form.submit(); });
  }

  // --- logout ------------------------------------------------------------------------

  function forget(user) {
    var steps = [];
    leaving = true;
    if (db) { db.close(); db = null; }
    if (user && window.indexedDB) {
      steps.push(new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(dbName(user));
        request.onsuccess = request.onerror = function () { resolve(); };
        // Blocked by a connection still closing: it completes once that closes; the
        // logout does not wait more than two seconds for it.
        request.onblocked = function () { window.setTimeout(resolve, 2000); };
      }));
    }
    if (window.caches) {
      steps.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("pk-pages-") === 0 || name === "pk-meta";
        }).map(function (name) { return caches.delete(name); }));
      }));
    }
    return Promise.all(steps);
  }

  function guardLogout(user) {
    document.querySelectorAll("form[data-logout]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-forgotten")) { return; }
        event.preventDefault();
        forget(user).then(function () {
          form.setAttribute("data-forgotten", "1");
          form.submit();
        });
      });
    });
  }

  // --- the service worker and the connection -------------------------------------------

  function registerWorker(user) {
    var url = body.getAttribute("data-service-worker");
    if (!url || !("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(url, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) { registration.active.postMessage({ type: "user", user: user || "" }); }
    }).catch(function () { /* no worker (private window, old browser): online only */ });
  }

  function showConnection(user) {
    var notice = document.getElementById("offline-notice");
    if (notice) { notice.hidden = navigator.onLine; }
    render(user);
    if (navigator.onLine) { sendAll(user); }
  }

  function init() {
    currentUser().then(function (user) {
      if (!body.hasAttribute("data-offline-page")) { registerWorker(user); }
      if (!user || !window.indexedDB) { return; }
      interceptForms(user);
      guardLogout(user);
      var send = outbox && outbox.querySelector("[data-outbox-send]");
      if (send) { send.addEventListener("click", function () { sendAll(user); }); }
      // Back from a post the worker kept (the link was down): say so, once.
      if (/[?&]kept=1/.test(location.search)) {
        say(text("saved"));
        var clean = new URL(location.href);
        clean.searchParams.delete("kept");
        history.replaceState(null, "", clean.pathname + clean.search + clean.hash);
      }
      window.addEventListener("online", function () { showConnection(user); });
      window.addEventListener("offline", function () { showConnection(user); });
      showConnection(user);
      // While something waits, try again now and then (the "online" event can be missed).
      window.setInterval(function () { if (navigator.onLine) { sendAll(user); } }, 30000);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
