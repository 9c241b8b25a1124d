// ASN Portal: progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  // Submit a select's form when it changes (elements marked data-autosubmit).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
})();
