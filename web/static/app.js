// sekisho web UI: enhancements only. Every page works without this file.
// Moves focus to the error summary (so a screen reader reads it first) and
// to a decision's result after a form was sent; asks before a button marked
// data-confirm (its text from the catalog) goes on; shows the idle-timeout
// warning (its text is in the page, from the catalog) two minutes before the
// session would end for inactivity.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector(".error-summary") || document.getElementById("result");
  if (target) {
    target.focus();
  }
  // A button that cannot be undone (withdrawing a request) asks first.
  document.querySelectorAll("[data-confirm]").forEach(function (b) {
    b.addEventListener("click", function (e) {
      if (!window.confirm(b.getAttribute("data-confirm"))) {
        e.preventDefault();
      }
    });
  });
  var idle = parseInt(document.body.getAttribute("data-idle-seconds") || "", 10);
  var warning = document.querySelector(".idle-warning");
  if (idle > 0 && warning) {
    window.setTimeout(function () {
      warning.hidden = false;
    }, Math.max(idle - 120, 0) * 1000);
  }
});
