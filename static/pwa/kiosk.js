// A service unit's tablet (kiosk mode): each survey response is kept on the tablet with its ticket
// code and sent when the connection allows; the form is blank again at once for the next citizen.
// Responses the server refuses (a code already used, a wrong code) are listed for the officer.
(function () {
  "use strict";
  var form = document.getElementById("kiosk-form");
  if (!form || !window.AsnOfflineForm) {
    return;
  }
  AsnOfflineForm.attach(form, {
    prepare: function (f) {
      var fields = [];
      new FormData(f).forEach(function (value, name) {
        if (typeof value === "string" && name !== "csrfmiddlewaretoken" && name !== "client_key") {
          fields.push([name, value]);
        }
      });
      var code = fields.filter(function (p) {
        return p[0] === "token";
      })[0];
      return Promise.resolve({ fields: fields, files: [], label: code ? code[1] : "" });
    },
    fill: false, // the citizen has gone: the officer only dismisses a refused response
    afterQueue: function (f) {
      window.scrollTo(0, 0);
      var first = f.querySelector("input[type=radio]");
      if (first) {
        first.focus({ preventScroll: true });
      }
    },
  });
})();
