/* The service worker (peacekeeping/offline.py serves it at /sw.js, scope "/").
   Static files: cache first (their names carry a hash). Navigations: network first; when
   the network fails, the user's cached copy of the form or the drafts list, or the
   offline page. Other requests (API, htmx, posts) go to the network untouched: the
   page-side outbox (static/js/offline.js) keeps what could not be sent. */
"use strict";
var CONFIG = {{ config|safe }};
var STATIC_CACHE = "pk-static-" + CONFIG.version;
var META_CACHE = "pk-meta";
var USER_KEY = "/__pk/user";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then(function (cache) { return cache.addAll(CONFIG.assets.concat([CONFIG.offlineUrl])); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("pk-static-") === 0 && name !== STATIC_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// The signed-in user, as the last page told it (offline.js); "" when nobody is.
function currentUser() {
  return caches.open(META_CACHE)
    .then(function (cache) { return cache.match(USER_KEY); })
    .then(function (response) { return response ? response.text() : ""; });
}

function pagesCache(user) { return "pk-pages-" + user; }

// A kept page's cache key: its path and query, without the outbox's "kept" marker.
function pageKey(url) {
  var copy = new URL(url.href);
  copy.searchParams.delete("kept");
  return copy.pathname + copy.search;
}

function isKeptPage(url) {
  return CONFIG.pages.indexOf(pageKey(url)) !== -1;
}

// Fetch the kept pages for this user (after the first visit), unless already cached.
function keepPages(user, refresh) {
  if (!user) { return Promise.resolve(); }
  return caches.open(pagesCache(user)).then(function (cache) {
    return Promise.all(CONFIG.pages.map(function (page) {
      return cache.match(page).then(function (found) {
        if (found && !refresh) { return null; }
        return fetch(page, { credentials: "same-origin", redirect: "manual" })
          .then(function (response) {
            if (response.ok && response.type === "basic") { return cache.put(page, response); }
            return null;
          })
          .catch(function () { return null; });
      });
    }));
  });
}

function forget() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("pk-pages-") === 0 || name === META_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "user") {
    var user = String(data.user || "");
    // Nobody signed in (the login page): nothing is stored at all.
    var remember = user
      ? caches.open(META_CACHE).then(function (cache) { return cache.put(USER_KEY, new Response(user)); })
      : caches.delete(META_CACHE);
    event.waitUntil(
      remember
        .then(function () { return keepPages(user, false); })
        .then(function () {
          if (event.source) { event.source.postMessage({ type: "pages-kept", user: user }); }
        })
    );
  } else if (data.type === "forget") {
    event.waitUntil(forget().then(function () {
      if (event.source) { event.source.postMessage({ type: "forgotten" }); }
    }));
  }
});

function fromNetworkOrCache(request, url) {
  return fetch(request).then(function (response) {
    // A kept page seen online refreshes its copy (only a real page, never a redirect).
    if (isKeptPage(url) && response.ok && !response.redirected) {
      var copy = response.clone();
      currentUser().then(function (user) {
        if (user) { caches.open(pagesCache(user)).then(function (c) { c.put(pageKey(url), copy); }); }
      });
    }
    return response;
  }).catch(function () {
    return currentUser().then(function (user) {
      var kept = user && isKeptPage(url)
        ? caches.open(pagesCache(user)).then(function (c) { return c.match(pageKey(url)); })
        : Promise.resolve(null);
      return kept.then(function (page) {
        return page || caches.match(CONFIG.offlineUrl, { cacheName: STATIC_CACHE });
      });
    });
  });
}

// --- the outbox, for a form posted while the link is down -----------------------------
// The same records as static/js/offline.js keeps (one database per user).

function outboxForm(url) {
  for (var i = 0; i < CONFIG.outboxForms.length; i++) {
    if (new RegExp(CONFIG.outboxForms[i].pattern).test(url.pathname)) { return CONFIG.outboxForms[i]; }
  }
  return null;
}

function newKey() {
  return self.crypto.randomUUID();
}

function keepInOutbox(user, url, data) {
  var fields = [], files = [];
  data.forEach(function (value, name) {
    if (name === "csrfmiddlewaretoken") { return; }
    if (typeof value === "string") { fields.push([name, value]); }
    else if (value.name || value.size) { files.push([name, value]); }
  });
  function value(name) { return data.get(name) || ""; }
  var item = {
    // The posted key stays: if the post did reach the server, sending it again finds
    // the incident it recorded.
    key: value("idempotency_key") || newKey(),
    action: url.href,
    fields: fields,
    files: files,
    summary: { date: value("occurred_date"), place: value("place"), type: "", typeValue: value("incident_type") },
    state: "waiting",
    message: "",
    createdAt: Date.now(),
  };
  return new Promise(function (resolve, reject) {
    var open = indexedDB.open("pk-outbox-" + user, 1);
    open.onupgradeneeded = function () { open.result.createObjectStore("items", { keyPath: "key" }); };
    open.onerror = function () { reject(open.error); };
    open.onsuccess = function () {
      var db = open.result;
      var tx = db.transaction("items", "readwrite");
      tx.objectStore("items").put(item);
      tx.oncomplete = function () { db.close(); resolve(item); };
      tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
    };
  });
}

function postOrKeep(request, url, form) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return Promise.all([copy.formData(), currentUser()]).then(function (got) {
      if (!got[1]) { throw new Error("nobody is signed in"); }
      return keepInOutbox(got[1], url, got[0]);
    }).then(function () {
      return Response.redirect(form.then + (form.then.indexOf("?") === -1 ? "?" : "&") + "kept=1", 303);
    }).catch(function () {
      return caches.match(CONFIG.offlineUrl, { cacheName: STATIC_CACHE });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && request.mode === "navigate") {
    var form = outboxForm(url);
    if (form) { event.respondWith(postOrKeep(request, url, form)); }
    return;
  }
  if (request.method !== "GET") { return; }
  if (url.pathname.indexOf(CONFIG.staticUrl) === 0) {
    event.respondWith(
      caches.match(request, { cacheName: STATIC_CACHE }).then(function (hit) {
        // Kept on first use (names carry a hash): a country's places, fetched once online,
        // are there offline.
        return hit || fetch(request).then(function (response) {
          if (response.ok && response.type === "basic") {
            var copy = response.clone();
            caches.open(STATIC_CACHE).then(function (cache) { cache.put(request, copy); });
          }
          return response;
        });
      })
    );
  } else if (request.mode === "navigate") {
    event.respondWith(fromNetworkOrCache(request, url));
  }
});
