// sekisho web UI: enhancements only. Every page works without this file.
// Moves focus to the error summary (so a screen reader reads it first) and
// to a decision's result after a form was sent.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector(".error-summary") || document.getElementById("result");
  if (target) {
    target.focus();
  }
});
