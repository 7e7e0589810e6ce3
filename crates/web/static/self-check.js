// Live total for the self-check's time-allocation questions. The form
// works without this script: the server checks the sum and says so.
"use strict";
document.querySelectorAll("[data-allocation]").forEach(function (group) {
  var inputs = group.querySelectorAll("input[type=number]");
  var line = group.querySelector(".sc-total");
  var output = group.querySelector("[data-total]");
  function update() {
    var total = 0;
    inputs.forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) total += value;
    });
    output.textContent = String(total);
    line.classList.toggle("sc-total-ok", total === 100);
    line.classList.toggle("sc-total-off", total !== 100);
  }
  line.hidden = false;
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
});
