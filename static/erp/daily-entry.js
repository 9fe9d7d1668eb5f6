/* Daily production entry: Enter / arrow keys move down a column, Ctrl+Enter saves. */
(function () {
  var form = document.getElementById("daily-form");
  if (!form) { return; }
  var first = form.querySelector("input[data-col=good]:not([disabled])");
  if (first) { first.focus(); }
  form.addEventListener("keydown", function (event) {
    var cell = event.target;
    if (!cell.dataset || !cell.dataset.col) { return; }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); return; }
    if (event.key !== "Enter" && event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
    if (cell.tagName === "SELECT" && event.key !== "Enter") { return; }
    var column = Array.prototype.slice.call(form.querySelectorAll("[data-col=" + cell.dataset.col + "]"));
    var next = column[column.indexOf(cell) + (event.key === "ArrowUp" ? -1 : 1)];
    event.preventDefault();
    if (next) { next.focus(); if (next.select) { next.select(); } }
    else if (event.key === "Enter") { form.requestSubmit(); }
  });
})();
