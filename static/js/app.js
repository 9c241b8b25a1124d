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
  // A page restored from the back-forward cache keeps a picker as the user left it, while the page
  // shows what the server rendered for the picker's earlier choice (issue 21: a picker on Triwulan III
  // over Triwulan IV's figures): put every auto-applied picker back to the choice it was rendered with.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        option.selected = option.defaultSelected;
      });
    });
  });
})();
