/* Page behaviours declared in the HTML with data attributes, so that no page needs an
   inline script or an on...= handler: the Content-Security-Policy (erp/security.py) runs
   scripts from this site's files only.

   data-print            a button that prints the page
   data-autosubmit       a select (or input) that submits its form when changed
   data-confirm="..."    a submit button, link or form that asks first
   data-submit-once      a form whose submit button is disabled once sent (no double post)
*/
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
      return;
    }
    var asking = target.closest("button[data-confirm], input[data-confirm], a[data-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof Element && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-submit-once") && !event.defaultPrevented) {
      var button = form.querySelector("[type=submit]");
      if (button) { button.disabled = true; }
    }
  });
})();
