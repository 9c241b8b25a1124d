// Makes the portal an installable app: links the manifest and registers the service worker, which
// keeps the pages marked data-offline-page (the daily log, a kiosk survey) for use without a
// connection. When the page's copy is kept, <html data-offline-ready="1"> says so.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    return;
  }
  var manifest = script.getAttribute("data-manifest");
  if (manifest && !document.querySelector("link[rel=manifest]")) {
    var link = document.createElement("link");
    link.rel = "manifest";
    link.href = manifest;
    document.head.appendChild(link);
  }
  if (!("serviceWorker" in navigator) || !window.isSecureContext) {
    return;
  }
  var container = navigator.serviceWorker;

  function controlled() {
    if (container.controller) {
      return Promise.resolve();
    }
    return new Promise(function (resolve) {
      container.addEventListener("controllerchange", resolve, { once: true });
    });
  }

  function keepThisPage(registration) {
    if (!document.querySelector("[data-offline-page]") || !navigator.onLine) {
      return controlled();
    }
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () {
        resolve();
      };
      registration.active.postMessage({ type: "cache-page", url: location.href }, [channel.port2]);
    }).then(controlled);
  }

  container
    .register(script.getAttribute("data-sw"), { scope: "/" })
    .then(function () {
      return container.ready;
    })
    .then(keepThisPage)
    .then(function () {
      document.documentElement.setAttribute("data-offline-ready", "1");
    })
    .catch(function () {
      // No service worker (private mode, an old browser): the pages still work online.
    });
})();
