/* Order change form: show only the field the chosen change needs. */
document.addEventListener("DOMContentLoaded", function () {
  var kind = document.getElementById("id_kind");
  var wanted = {due_date: "new_due_date", quantity: "new_quantity", specification: "new_specification"};
  function update() {
    ["new_due_date", "new_quantity", "new_specification"].forEach(function (name) {
      var box = document.querySelector('[data-field="' + name + '"]');
      if (box) box.hidden = wanted[kind.value] !== name;
    });
  }
  kind.addEventListener("change", update);
  update();
});
