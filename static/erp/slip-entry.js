/* The slip entry page (templates/orders/slip_create.html), for a scanner or a keyboard:
   - the scan field ([data-slip-scan]) takes an item code and Enter: it jumps to that item's
     row (the first one still empty, a hidden finished row shown if it is the only one),
     highlights it and puts the cursor in its quantity; it never submits the slip;
   - Enter in a quantity goes back to the scan field instead of issuing the slip (the
     Issue button does that).
   No arithmetic here: quantities are filled by the server (pick all, kit for N). */
(function () {
  "use strict";

  function rowsFor(form, code) {
    var wanted = code.toUpperCase();
    return Array.prototype.filter.call(
      form.querySelectorAll("tr[data-item-code]"),
      function (row) { return row.getAttribute("data-item-code").toUpperCase() === wanted; }
    );
  }

  function pick(rows) {
    var visible = rows.filter(function (row) { return !row.hidden; });
    var empty = visible.filter(function (row) {
      var input = row.querySelector("input.slip-qty");
      return input && !input.value.trim();
    });
    return empty[0] || visible[0] || rows[0];
  }

  function jump(scan, form) {
    var code = scan.value.trim();
    var status = document.getElementById("slip-scan-status");
    if (!code) { return; }
    form.querySelectorAll("tr.slip-row-scanned").forEach(function (row) {
      row.classList.remove("slip-row-scanned");
    });
    var rows = rowsFor(form, code);
    if (!rows.length) {
      scan.classList.add("is-invalid");
      if (status) { status.textContent = (scan.getAttribute("data-not-found") || "") + " " + code; }
      scan.select();
      return;
    }
    scan.classList.remove("is-invalid");
    if (status) { status.textContent = ""; }
    var row = pick(rows);
    row.hidden = false;
    row.classList.add("slip-row-scanned");
    row.scrollIntoView({ block: "center" });
    var input = row.querySelector("input.slip-qty");
    scan.value = "";
    if (input) { input.focus(); input.select(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) { return; }
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var form = document.querySelector("form[data-slip-form]");
    var scan = document.querySelector("[data-slip-scan]");
    if (!form || !scan) { return; }
    if (target === scan) {
      event.preventDefault();
      jump(scan, form);
    } else if (target.classList.contains("slip-qty") && target.form === form) {
      event.preventDefault();
      scan.focus();
    }
  });
})();
