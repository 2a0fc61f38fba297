/* The Jalali date picker in Django's admin (which does not use base.html). */
(function () {
  "use strict";
  function start() {
    if (window.jalaliDatepicker) {
      window.jalaliDatepicker.startWatch({
        time: true, hasSecond: false, persianDigits: true,
        showTodayBtn: true, showEmptyBtn: true, showCloseBtn: true, zIndex: 2000,
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
