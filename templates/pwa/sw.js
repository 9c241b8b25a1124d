{% load static %}// ASN Portal service worker (rendered by Django so that it knows the hashed static file names).
// Static files: stale-while-revalidate. The pages that must open offline (the employee's daily log,
// a service unit's kiosk survey): network first, the last copy when there is no connection.
// Forms posted without JavaScript pass through untouched; the offline queue lives in queue.js.
"use strict";
importScripts("{% static 'pwa/queue.js' %}");

var STATIC_CACHE = "asn-static-v1";
var PAGE_CACHE = "asn-pages-v1";
var STATIC_PREFIX = "{% get_static_prefix %}";
var PRECACHE = [
  "{% static 'vendor/bootstrap/bootstrap.min.css' %}",
  "{% static 'vendor/bootstrap/bootstrap.bundle.min.js' %}",
  "{% static 'vendor/htmx/htmx.min.js' %}",
  "{% static 'css/app.css' %}",
  "{% static 'js/app.js' %}",
  "{% static 'img/favicon.svg' %}",
  "{% static 'feedback/feedback.css' %}",
  "{% static 'pwa/icon-192.png' %}",
  "{% static 'pwa/queue.js' %}",
  "{% static 'pwa/register.js' %}",
  "{% static 'pwa/offline-form.js' %}",
  "{% static 'pwa/kiosk.js' %}",
  "{% static 'performance/log_draft.js' %}"
];
var HOME = "{% url 'performance:home' %}";
var KIOSK = new RegExp("^" + "{% url 'feedback:survey_kiosk' slug='__slug__' %}".replace("__slug__", "[^/]+") + "$");
var LOGIN = "{% url 'login' %}";
var NETWORK_WAIT_MS = 6000;

function offlinePage(path) {
  return path === HOME || KIOSK.test(path);
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then(function (cache) {
        return Promise.all(
          PRECACHE.map(function (url) {
            return cache.add(url).catch(function () {});
          })
        );
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (n) {
              return n !== STATIC_CACHE && n !== PAGE_CACHE;
            })
            .map(function (n) {
              return caches.delete(n);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function pageKey(url) {
  return url.origin + url.pathname;
}

function storePage(url, response) {
  // Only a real page of the signed-in user: not a redirect to the login page, not an error.
  if (response && response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    return caches.open(PAGE_CACHE).then(function (cache) {
      return cache.put(pageKey(url), copy);
    });
  }
  return Promise.resolve();
}

function networkFirst(event, url) {
  var cached = caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(pageKey(url));
  });
  var network = fetch(event.request).then(function (response) {
    event.waitUntil(storePage(url, response));
    return response;
  });
  var slow = new Promise(function (resolve) {
    setTimeout(resolve, NETWORK_WAIT_MS);
  }).then(function () {
    return cached;
  });
  return Promise.race([
    network,
    slow.then(function (copy) {
      return copy || network;
    }),
  ]).catch(function () {
    return cached.then(function (copy) {
      return copy || Response.error();
    });
  });
}

function staleWhileRevalidate(event) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(event.request).then(function (cached) {
      var network = fetch(event.request).then(function (response) {
        if (response.ok) {
          cache.put(event.request, response.clone());
        }
        return response;
      });
      if (cached) {
        event.waitUntil(network.catch(function () {}));
        return cached;
      }
      return network;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(staleWhileRevalidate(event));
  } else if (request.mode === "navigate" && offlinePage(url.pathname)) {
    event.respondWith(networkFirst(event, url));
  } else if (request.mode === "navigate" && url.pathname === LOGIN) {
    // Signed out: the employee's saved page must not stay on a shared phone.
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});

// A page asks for its own copy to be kept (its first visit happened before this worker ran).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  if (data.type === "cache-page") {
    var url = new URL(data.url);
    var done = offlinePage(url.pathname)
      ? fetch(url.pathname, { credentials: "same-origin" }).then(function (response) {
          return storePage(url, response);
        })
      : Promise.resolve();
    event.waitUntil(
      done
        .catch(function () {})
        .then(function () {
          if (port) {
            port.postMessage("cached");
          }
        })
    );
  }
});

// Background Sync: the browser wakes this worker when the connection returns.
self.addEventListener("sync", function (event) {
  if (event.tag === "asn-offline-queue") {
    event.waitUntil(
      self.AsnQueue.flush().then(function (summary) {
        return self.clients.matchAll().then(function (clients) {
          clients.forEach(function (client) {
            client.postMessage({ type: "queue-flushed", summary: summary });
          });
        });
      })
    );
  }
});
