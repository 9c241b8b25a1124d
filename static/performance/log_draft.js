// Keeps the daily log form as a draft in localStorage so that a dropped connection or a closed
// tab loses nothing; the draft is restored on the next visit and cleared after a successful save.
(function () {
  "use strict";
  var form = document.getElementById("log-form");
  if (!form || !window.localStorage) {
    return;
  }
  var key = form.getAttribute("data-draft-key") || "asn-log-draft";
  var status = document.getElementById("draft-status");
  var names = ["date", "indicator", "quantity", "duration_minutes", "description"];

  function fields() {
    return names
      .map(function (name) {
        return form.elements.namedItem(name);
      })
      .filter(Boolean);
  }

  function save() {
    var draft = {};
    fields().forEach(function (field) {
      draft[field.name] = field.value;
    });
    try {
      localStorage.setItem(key, JSON.stringify(draft));
    } catch (e) {
      // Storage full or disabled: the form still works, only the draft is not kept.
    }
  }

  function restore() {
    // A form sent back by the server with errors already holds what the user typed: keep it.
    if (form.querySelector(".is-invalid, .invalid-feedback")) {
      return;
    }
    var raw = localStorage.getItem(key);
    if (!raw) {
      return;
    }
    var draft;
    try {
      draft = JSON.parse(raw);
    } catch (e) {
      localStorage.removeItem(key);
      return;
    }
    var restored = false;
    fields().forEach(function (field) {
      var value = draft[field.name];
      if (value && field.value !== value) {
        field.value = value;
        restored = true;
      }
    });
    if (restored && status) {
      status.textContent = form.getAttribute("data-restored-text") || "";
    }
  }

  // A page without form errors after a POST means the log was saved: drop the draft.
  if (document.querySelector(".alert-success") && !form.querySelector(".is-invalid")) {
    localStorage.removeItem(key);
  } else {
    restore();
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();
