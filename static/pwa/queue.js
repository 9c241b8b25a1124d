// ASN Portal offline queue: what a phone or a kiosk tablet saved without a connection waits here
// (IndexedDB) and is sent when the connection returns. Loaded by the pages and by the service worker
// (importScripts), so it touches no DOM. Every item carries a random idempotency key (client_key):
// the server answers a key it already has with "saved", so sending the queue twice creates nothing.
//
// An item: {key, kind, url, label, fields: [[name, value], ...], files: [{name, blob, filename}],
//           state: "pending" | "refused", reason, created}
(function (root) {
  "use strict";
  var DB = "asn-offline";
  var QUEUE = "queue";
  var META = "meta";
  var dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var req = root.indexedDB.open(DB, 1);
        req.onupgradeneeded = function () {
          var d = req.result;
          if (!d.objectStoreNames.contains(QUEUE)) {
            d.createObjectStore(QUEUE, { keyPath: "key" });
          }
          if (!d.objectStoreNames.contains(META)) {
            d.createObjectStore(META, { keyPath: "name" });
          }
        };
        req.onsuccess = function () {
          resolve(req.result);
        };
        req.onerror = function () {
          dbPromise = null;
          reject(req.error);
        };
      });
    }
    return dbPromise;
  }

  function run(store, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(store, mode);
        var result;
        var req = work(tx.objectStore(store));
        if (req) {
          req.onsuccess = function () {
            result = req.result;
          };
        }
        tx.oncomplete = function () {
          resolve(result);
        };
        tx.onerror = tx.onabort = function () {
          reject(tx.error);
        };
      });
    });
  }

  function newKey() {
    if (root.crypto && root.crypto.randomUUID) {
      return root.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return (b + 256).toString(16).slice(1);
      })
      .join("");
  }

  var api = {
    newKey: newKey,
    put: function (item) {
      return run(QUEUE, "readwrite", function (s) {
        return s.put(item);
      });
    },
    get: function (key) {
      return run(QUEUE, "readonly", function (s) {
        return s.get(key);
      });
    },
    remove: function (key) {
      return run(QUEUE, "readwrite", function (s) {
        return s.delete(key);
      });
    },
    all: function (kind) {
      return run(QUEUE, "readonly", function (s) {
        return s.getAll();
      }).then(function (items) {
        return (items || [])
          .filter(function (item) {
            return !kind || item.kind === kind;
          })
          .sort(function (a, b) {
            return a.created - b.created;
          });
      });
    },
    setMeta: function (name, value) {
      return run(META, "readwrite", function (s) {
        return s.put({ name: name, value: value });
      });
    },
    getMeta: function (name) {
      return run(META, "readonly", function (s) {
        return s.get(name);
      }).then(function (row) {
        return row ? row.value : null;
      });
    },
  };

  // Send one item. Resolves "saved" (the server has it: remove it), "refused" (the server will never
  // take it: keep it with the reason) or "later" (no connection, signed out, server error: try again).
  function send(item, csrf) {
    var body = new FormData();
    (item.fields || []).forEach(function (pair) {
      body.append(pair[0], pair[1]);
    });
    (item.files || []).forEach(function (f) {
      body.append(f.name, f.blob, f.filename);
    });
    body.append("client_key", item.key);
    body.append("csrfmiddlewaretoken", csrf || item.csrf || "");
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json", "X-CSRFToken": csrf || item.csrf || "" },
    }).then(
      function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          return { outcome: "later" }; // a login redirect, the CSRF page, a proxy's error page
        }
        return response.json().then(function (data) {
          if (response.ok && data.status === "saved") {
            return { outcome: "saved" };
          }
          if (data.status === "refused" && response.status >= 400 && response.status < 500) {
            return { outcome: "refused", reason: data.reason || "" };
          }
          return { outcome: "later" };
        });
      },
      function () {
        return { outcome: "later" };
      }
    );
  }

  function flushOnce(kind) {
    var summary = { saved: 0, refused: 0, later: 0 };
    return Promise.all([api.all(kind), api.getMeta("csrf")]).then(function (got) {
      var items = got[0].filter(function (item) {
        return item.state === "pending";
      });
      var csrf = got[1];
      var chain = Promise.resolve();
      var stop = false;
      items.forEach(function (item) {
        chain = chain.then(function () {
          if (stop) {
            summary.later += 1;
            return null;
          }
          return send(item, csrf).then(function (result) {
            summary[result.outcome] += 1;
            if (result.outcome === "saved") {
              return api.remove(item.key);
            }
            if (result.outcome === "refused") {
              return api.get(item.key).then(function (current) {
                if (current) {
                  current.state = "refused";
                  current.reason = result.reason;
                  return api.put(current);
                }
                return null;
              });
            }
            stop = true; // no connection: the rest waits too
            return null;
          });
        });
      });
      return chain.then(function () {
        return summary;
      });
    });
  }

  // One flush at a time per browser (page and service worker alike) where Web Locks exist.
  api.flush = function (kind) {
    var locks = root.navigator && root.navigator.locks;
    if (locks && locks.request) {
      return locks.request("asn-offline-queue", function () {
        return flushOnce(kind);
      });
    }
    return flushOnce(kind);
  };

  root.AsnQueue = api;
})(typeof self !== "undefined" ? self : this);
