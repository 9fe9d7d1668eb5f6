/* Order entry from the keyboard (templates/orders/order_form.html, form[data-order-entry]).

   - Enter moves to the next field instead of saving: customer -> first line's item ->
     quantity -> unit price -> due date -> the next line's item (a new line is added after
     the last one). Fields marked data-enter-skip are reached with Tab only.
     Ctrl+Enter (or Cmd+Enter) saves; so does the Save button.
   - Typing a customer or item code asks the server (data-customer-url, data-item-url)
     who or what it is: name, stock on hand, the customer's last price, the suggested price
     and where it comes from, and whether the price is below the margin floor. The
     suggested price fills the price field unless the person typed a price there.
   - Each line shows its amount and the form the order total, recomputed here for display
     only: the amounts kept are computed by the server in decimals.
   - A line whose price is 0 shows a warning; it is not refused.
*/
(function () {
  "use strict";

  var form = document.querySelector("form[data-order-entry]");
  if (!form) { return; }
  var DELAY_MS = 200;
  var timers = new WeakMap();
  var pending = new WeakMap();
  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    minimumFractionDigits: 2, maximumFractionDigits: 2
  });

  function fields() {
    return Array.prototype.filter.call(
      form.querySelectorAll("input, select, textarea"),
      function (el) {
        return el.type !== "hidden" && !el.disabled && !el.readOnly &&
          !el.hasAttribute("data-enter-skip") && el.offsetParent !== null;
      }
    );
  }

  function row(el) { return el.closest("tr.line-row"); }
  function rowField(tr, suffix) { return tr.querySelector("[name$='-" + suffix + "']"); }

  function parseNumber(text) {
    var value = String(text || "").trim().replace(/[\s,]/g, "");
    if (value === "" || !/^[-+]?\d*\.?\d*$/.test(value)) { return null; }
    var number = Number(value);
    return isFinite(number) ? number : null;
  }

  /* ---- amounts and total (display only) ---- */
  function refreshTotals() {
    var total = 0;
    var any = false;
    form.querySelectorAll("tr.line-row").forEach(function (tr) {
      var qty = parseNumber(rowField(tr, "quantity").value);
      var priceField = rowField(tr, "unit_price");
      var price = parseNumber(priceField.value);
      var removed = rowField(tr, "DELETE");
      var cell = tr.querySelector(".line-amount");
      var zero = tr.querySelector(".line-price-zero");
      var hasItem = rowField(tr, "item").value.trim() !== "";
      if (zero) { zero.classList.toggle("d-none", !(hasItem && price === 0)); }
      if (qty === null || price === null || (removed && removed.checked)) {
        cell.textContent = "";
        return;
      }
      var amount = Math.round(qty * price * 100) / 100;
      cell.textContent = numberFormat.format(amount);
      total += amount;
      any = true;
    });
    var out = document.getElementById("order-total");
    if (out) { out.textContent = any ? numberFormat.format(total) : ""; }
  }

  /* ---- lookups ---- */
  function lookup(input, url, params, target, after) {
    var previous = pending.get(input);
    if (previous) { previous.abort(); }
    var controller = new AbortController();
    pending.set(input, controller);
    var query = new URLSearchParams(params).toString();
    fetch(url + "?" + query, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      signal: controller.signal
    }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      if (pending.get(input) !== controller) { return; }
      pending.delete(input);
      target.innerHTML = html;
      var match = target.querySelector("[data-match]");
      if (match && input.value.trim() !== match.getAttribute("data-match") &&
          input.value.trim().toUpperCase() === match.getAttribute("data-match").toUpperCase()) {
        input.value = match.getAttribute("data-match");
      }
      if (after) { after(match); }
      target.dispatchEvent(new CustomEvent("order-entry:looked-up", { bubbles: true }));
    }).catch(function () { /* aborted or offline: the next keystroke asks again */ });
  }

  function customerField() { return form.querySelector("[data-lookup='customer']"); }
  function orderDate() {
    var field = form.querySelector("[name='order_date']");
    return field ? field.value : "";
  }

  function lookupCustomer() {
    var input = customerField();
    var target = document.getElementById("customer-info");
    if (!input || !target) { return; }
    if (input.value.trim() === "") { target.innerHTML = ""; return; }
    lookup(input, form.getAttribute("data-customer-url"), { customer: input.value.trim() }, target, function () {
      form.querySelectorAll("tr.line-row").forEach(function (tr) {
        if (rowField(tr, "item").value.trim() !== "") { lookupItem(tr); }
      });
    });
  }

  function lookupItem(tr) {
    var input = rowField(tr, "item");
    var target = tr.querySelector(".line-info");
    var price = rowField(tr, "unit_price");
    if (input.value.trim() === "") { target.innerHTML = ""; return; }
    var params = {
      item: input.value.trim(),
      customer: customerField() ? customerField().value.trim() : "",
      order_date: orderDate()
    };
    if (price.hasAttribute("data-typed") && price.value.trim() !== "") {
      params.unit_price = price.value.trim();
    }
    lookup(input, form.getAttribute("data-item-url"), params, target, function (match) {
      var suggested = match ? match.getAttribute("data-default-price") : null;
      if (suggested !== null && !price.hasAttribute("data-typed")) {
        price.value = suggested;
        if (document.activeElement === price) { price.select(); }  // typing replaces it
      }
      refreshTotals();
    });
  }

  /* A line whose item is being typed takes the due date of the line above, if blank
     (only then: a blank row added by Enter stays blank and is left out on saving). */
  function copyDueDate(tr) {
    var due = rowField(tr, "due_date");
    var above = tr.previousElementSibling;
    if (due && !due.value && above && above.matches("tr.line-row")) {
      due.value = rowField(above, "due_date").value;
    }
  }

  function later(el, fn) {
    clearTimeout(timers.get(el));
    timers.set(el, setTimeout(fn, DELAY_MS));
  }

  form.addEventListener("input", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLElement)) { return; }
    if (el.getAttribute("data-lookup") === "customer") {
      later(el, lookupCustomer);
    } else if (el.getAttribute("data-lookup") === "item") {
      copyDueDate(row(el));
      later(el, function () { lookupItem(row(el)); });
    } else if (row(el) && /-unit_price$/.test(el.name)) {
      if (el.value.trim() === "") { el.removeAttribute("data-typed"); } else { el.setAttribute("data-typed", ""); }
      var tr = row(el);
      later(el, function () { lookupItem(tr); });
    }
    refreshTotals();
  });

  form.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLInputElement && el.name === "order_date") {
      form.querySelectorAll("tr.line-row").forEach(function (tr) {
        if (rowField(tr, "item").value.trim() !== "") { lookupItem(tr); }
      });
    }
    refreshTotals();
  });

  /* A suggestion clicked: its code goes into the field, which is looked up again. */
  form.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-fill]") : null;
    if (!button) { return; }
    event.preventDefault();
    var tr = row(button);
    var input = tr ? rowField(tr, "item") : customerField();
    input.value = button.getAttribute("data-fill");
    if (tr) { copyDueDate(tr); lookupItem(tr); } else { lookupCustomer(); }
    focusNext(input);
  });

  /* ---- Enter moves on ---- */
  function addLineThenFocus() {
    var button = form.querySelector("[data-testid='add-line']");
    if (!button) { return; }
    var rows = form.querySelectorAll("tr.line-row");
    var last = rows[rows.length - 1];
    var onSwap = function () {
      var all = form.querySelectorAll("tr.line-row");
      var fresh = all[all.length - 1];
      if (fresh === last) { return; }
      document.body.removeEventListener("htmx:afterSettle", onSwap);
      rowField(fresh, "item").focus();
    };
    document.body.addEventListener("htmx:afterSettle", onSwap);
    button.click();
  }

  function focusNext(el) {
    var list = fields();
    var at = list.indexOf(el);
    var tr = row(el);
    if (el.getAttribute("data-lookup") === "customer") {
      var firstItem = form.querySelector("tr.line-row [data-lookup='item']");
      if (firstItem) { firstItem.focus(); firstItem.select(); return; }
    }
    var next = at >= 0 ? list[at + 1] : list.filter(function (f) {
      // a field reached by Tab only: Enter goes to the next Enter field after it
      return el.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING;
    })[0] || null;
    if (tr && (!next || row(next) !== tr)) {
      var rows = Array.prototype.slice.call(form.querySelectorAll("tr.line-row"));
      var following = rows[rows.indexOf(tr) + 1];
      if (following) {
        rowField(following, "item").focus();
      } else {
        addLineThenFocus();
      }
      return;
    }
    if (next) {
      next.focus();
      if (typeof next.select === "function" && next.type !== "date") { next.select(); }
    }
  }

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) { return; }
    var el = event.target;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (el instanceof HTMLTextAreaElement || el instanceof HTMLButtonElement ||
        el instanceof HTMLAnchorElement || (el instanceof HTMLInputElement &&
        (el.type === "submit" || el.type === "button"))) {
      return;
    }
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) {
      event.preventDefault();
      if (el.getAttribute("data-lookup") === "item") {
        clearTimeout(timers.get(el));
        lookupItem(row(el));
      } else if (el.getAttribute("data-lookup") === "customer") {
        clearTimeout(timers.get(el));
        lookupCustomer();
      }
      focusNext(el);
    }
  });

  /* A price the server filled in on a re-shown form counts as typed. */
  form.querySelectorAll("tr.line-row [name$='-unit_price']").forEach(function (price) {
    if (price.value.trim() !== "") { price.setAttribute("data-typed", ""); }
  });
  if (customerField() && customerField().value.trim() !== "") { lookupCustomer(); }
  else {
    form.querySelectorAll("tr.line-row").forEach(function (tr) {
      if (rowField(tr, "item").value.trim() !== "") { lookupItem(tr); }
    });
  }
  refreshTotals();
})();
