// The daily log form on a phone: with no connection (or a weak one) a saved log waits on the phone
// (static/pwa/offline-form.js) and is sent, with its idempotency key, when the connection returns.
// Evidence photos are made smaller on the phone first (at most 1600 px, JPEG), so a photo of a few
// megabytes does not have to travel over a weak connection. A log the server refuses comes back
// with the reason and stays listed until it is dismissed or fixed.
(function () {
  "use strict";
  var MAX_SIDE = 1600;
  var QUALITY = 0.85;
  var form = document.getElementById("log-form");
  if (!form || !window.AsnOfflineForm) {
    return;
  }

  function resize(file) {
    if (!/^image\//.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve({ blob: file, filename: file.name });
    }
    return createImageBitmap(file)
      .then(function (bitmap) {
        var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(bitmap.width * scale));
        canvas.height = Math.max(1, Math.round(bitmap.height * scale));
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) {
          canvas.toBlob(
            function (blob) {
              var name = (file.name || "foto").replace(/\.[^.]*$/, "") + ".jpg";
              resolve(blob ? { blob: blob, filename: name } : { blob: file, filename: file.name });
            },
            "image/jpeg",
            QUALITY
          );
        });
      })
      .catch(function () {
        return { blob: file, filename: file.name };
      });
  }

  function prepare(form) {
    var fields = [];
    var photo = null;
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "client_key" || name === "evidence-clear") {
        return;
      }
      if (typeof value === "string") {
        fields.push([name, value]);
      } else if (value && value.size) {
        photo = value;
      }
    });
    var get = function (name) {
      var pair = fields.filter(function (p) {
        return p[0] === name;
      })[0];
      return pair ? pair[1] : "";
    };
    var label = get("date") + " · " + get("description").slice(0, 60);
    if (!photo) {
      return Promise.resolve({ fields: fields, files: [], label: label });
    }
    return resize(photo).then(function (file) {
      return {
        fields: fields,
        files: [{ name: "evidence", blob: file.blob, filename: file.filename }],
        label: label,
      };
    });
  }

  AsnOfflineForm.attach(form, { prepare: prepare });
})();
