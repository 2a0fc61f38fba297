/*
 * Hamseda page behaviour. Plain ES2017, no build step; loaded at the end of
 * base.html after bootstrap, jalalidatepicker and htmx.
 *
 *  a) Jalali date picker on input[data-jdp] (time too with data-jdp-time).
 *  b) form[data-autosave]: drafts in localStorage that survive validation errors,
 *     crashes and dropped connections.
 *  c) [data-fa-digits]: Latin digits in text shown as Persian.
 *  d) [data-confirm]: confirm() before a button, link or form acts.
 *
 * Everything runs on load and again after each htmx swap, and is idempotent.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------- strings
  // The Persian defaults below are used when base.html's <template id="hs-strings">
  // (which carries the translated versions) is not on the page, e.g. on 500.html.
  var DEFAULT_STRINGS = {
    draftRestored: "پیش‌نویس ذخیره‌شده بازیابی شد",
    draftDiscard: "دور انداختن پیش‌نویس",
    offlineDraft: "اتصال به شبکه برقرار نیست و فرم فرستاده نشد. پیش‌نویس شما در همین مرورگر نگه داشته شده است؛ پس از برقراری اتصال دوباره «ذخیره» را بزنید.",
    offline: "اتصال به شبکه برقرار نیست و فرم فرستاده نشد. پس از برقراری اتصال دوباره امتحان کنید.",
    close: "بستن",
  };
  var stringsCache = null;
  function t(key) {
    if (!stringsCache) {
      stringsCache = {};
      var tpl = document.getElementById("hs-strings");
      if (tpl && tpl.content) {
        tpl.content.querySelectorAll("[data-key]").forEach(function (el) {
          stringsCache[el.getAttribute("data-key")] = el.textContent.trim();
        });
      }
    }
    return stringsCache[key] || DEFAULT_STRINGS[key] || key;
  }

  // ---------------------------------------------------------------- digits
  var FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  function toPersianDigits(text) {
    return text.replace(/[0-9]/g, function (d) { return FA_DIGITS[+d]; });
  }
  function toLatinDigits(text) {
    return text
      .replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06f0); })
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); });
  }

  // Text whose digits must stay Latin even inside [data-fa-digits].
  var LATIN_ONLY = "script, style, textarea, input, select, code, pre, kbd, samp, [data-latin-digits], [dir='ltr']";

  function persianizeDigits(root) {
    var hosts = [];
    if (root.nodeType === 1 && root.matches("[data-fa-digits]")) hosts.push(root);
    root.querySelectorAll("[data-fa-digits]").forEach(function (el) { hosts.push(el); });
    hosts.forEach(function (host) {
      var walker = document.createTreeWalker(host, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          if (!/[0-9]/.test(node.nodeValue)) return NodeFilter.FILTER_REJECT;
          var parent = node.parentElement;
          if (parent && parent !== host && parent.closest(LATIN_ONLY) &&
              host.contains(parent.closest(LATIN_ONLY))) {
            return NodeFilter.FILTER_REJECT;
          }
          return NodeFilter.FILTER_ACCEPT;
        },
      });
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      nodes.forEach(function (node) { node.nodeValue = toPersianDigits(node.nodeValue); });
    });
  }

  // ---------------------------------------------------------------- a) date picker
  var pickerStarted = false;

  function initDatepickers(root) {
    // The picker reads the time option per input: with time on globally, inputs
    // without data-jdp-time are marked date-only (the picker's own attribute).
    root.querySelectorAll("input[data-jdp]").forEach(function (input) {
      if (!input.hasAttribute("data-jdp-time") && !input.hasAttribute("data-jdp-only-time")) {
        input.setAttribute("data-jdp-only-date", "");
      }
      input.setAttribute("autocomplete", "off");
    });
    // startWatch listens on document.body by delegation, so inputs swapped in by
    // htmx later are covered; calling it twice would add its listeners twice.
    if (!pickerStarted && window.jalaliDatepicker && document.body) {
      window.jalaliDatepicker.startWatch({
        time: true,
        hasSecond: false,
        persianDigits: true, // the calendar shows Persian digits; the value stays 1403/05/21
        showTodayBtn: true,
        showEmptyBtn: true,
        showCloseBtn: true,
        zIndex: 1100, // above Bootstrap modals (1055)
      });
      pickerStarted = true;
    }
  }

  // The picker only parses Latin digits: a value typed or rendered with Persian
  // digits is converted before the picker (listening on body) reads it.
  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input && input.matches && input.matches("input[data-jdp]") && /[\u06F0-\u06F9\u0660-\u0669]/.test(input.value)) {
      input.value = toLatinDigits(input.value);
    }
  }, true);

  // ---------------------------------------------------------------- b) drafts
  var DRAFT_PREFIX = "hamseda:draft:";
  var PENDING_KEY = "hamseda:pending-drafts";
  var DRAFT_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
  // A pending submit is resolved only within this window: a much later page
  // load says nothing about that submit.
  var PENDING_WINDOW_MS = 10 * 60 * 1000;
  var SAVE_DELAY_MS = 400;

  // Every access is guarded: storage can be disabled, full, or (in some
  // embedded browsers) throw on the mere read of window.localStorage.
  var storage = {
    get: function (store, key) {
      try { var raw = window[store].getItem(key); return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
    },
    set: function (store, key, value) {
      try { window[store].setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
    },
    remove: function (store, key) {
      try { window[store].removeItem(key); } catch (e) { /* storage disabled: nothing to remove */ }
    },
  };

  function draftScope() {
    // Drafts are per signed-in user: office PCs are shared.
    return (document.body && document.body.getAttribute("data-draft-scope")) || "";
  }

  function formKey(form) {
    var key = form.getAttribute("data-autosave");
    if (!key) {
      var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-autosave]"));
      key = location.pathname + "#" + (form.id || "form-" + forms.indexOf(form));
    }
    return key;
  }

  function storageKey(key) {
    return DRAFT_PREFIX + draftScope() + ":" + key;
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.hasAttribute("data-autosave-skip")) return false;
      if (el.name === "csrfmiddlewaretoken") return false;
      var type = (el.type || "").toLowerCase();
      // Hidden inputs are the server's (formset counters, ids) unless a widget
      // opts one in, e.g. the id behind an autocomplete's visible text.
      if (type === "hidden") return el.hasAttribute("data-autosave-include");
      return ["password", "file", "submit", "button", "reset", "image"].indexOf(type) === -1 &&
        el.tagName !== "BUTTON" && el.tagName !== "FIELDSET" && el.tagName !== "OUTPUT";
    });
  }

  // {name: [values in document order]}; a name is present even with no value,
  // so that "all boxes unticked" is a state the draft can restore.
  function readForm(form) {
    var data = {};
    draftFields(form).forEach(function (el) {
      var list = data[el.name] || (data[el.name] = []);
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        if (el.checked) list.push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { list.push(o.value); });
      } else {
        list.push(el.value);
      }
    });
    return data;
  }

  function writeForm(form, data) {
    var seen = {};
    draftFields(form).forEach(function (el) {
      if (!Object.prototype.hasOwnProperty.call(data, el.name)) return;
      var values = data[el.name];
      var type = (el.type || "").toLowerCase();
      var changed = false;
      if (type === "checkbox" || type === "radio") {
        var checked = values.indexOf(el.value) !== -1;
        changed = el.checked !== checked;
        el.checked = checked;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) {
          var selected = values.indexOf(o.value) !== -1;
          if (o.selected !== selected) changed = true;
          o.selected = selected;
        });
      } else {
        var index = seen[el.name] || 0;
        seen[el.name] = index + 1;
        if (index < values.length && el.value !== values[index]) {
          el.value = values[index];
          changed = true;
        }
      }
      // Let dependent widgets (htmx triggers, counters) see the restored value,
      // flagged so that our own listener does not save it back needlessly.
      if (changed) el.dispatchEvent(new CustomEvent("change", { bubbles: true, detail: { hsRestore: true } }));
    });
  }

  function sameData(a, b) {
    return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
  }
  function sortKeys(obj) {
    var out = {};
    Object.keys(obj || {}).sort().forEach(function (k) { out[k] = obj[k]; });
    return out;
  }

  var autosaveState = new WeakMap();

  function showDraftNotice(form, state) {
    removeDraftNotice(form);
    var box = document.createElement("div");
    box.className = "alert alert-info hs-draft-notice";
    box.setAttribute("role", "status");
    var text = document.createElement("span");
    text.innerHTML = '<i class="bi bi-clock-history" aria-hidden="true"></i> ';
    text.appendChild(document.createTextNode(t("draftRestored")));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-secondary hs-draft-discard";
    button.textContent = t("draftDiscard");
    button.addEventListener("click", function () {
      storage.remove("localStorage", state.storageKey);
      clearTimeout(state.timer);
      form.reset(); // back to the values the server rendered
      removeDraftNotice(form);
      var first = draftFields(form)[0];
      if (first) first.focus();
    });
    box.appendChild(text);
    box.appendChild(button);
    form.insertBefore(box, form.firstChild);
  }

  function removeDraftNotice(form) {
    form.querySelectorAll(":scope > .hs-draft-notice").forEach(function (el) { el.remove(); });
  }

  // The open calendar covers what lies below its input (often the form's
  // «ذخیره» button), so it closes when it is not being used: while the user
  // types the date, and as soon as the focus moves to anything else.
  function inPicker(el) {
    return !!(el && el.matches && (el.matches("input[data-jdp]") || el.closest("jdp-container")));
  }
  function hidePicker(evenIfFocused) {
    if (!window.jalaliDatepicker || !window.jalaliDatepicker.hide) return;
    window.jalaliDatepicker.hide();
    // The picker ignores hide() while it is still animating open: try once more
    // when that is over, unless the user has gone back to a date input.
    setTimeout(function () {
      if (evenIfFocused || !inPicker(document.activeElement)) window.jalaliDatepicker.hide();
    }, 400);
  }
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!event.isTrusted || !event.inputType || !el.matches || !el.matches("input[data-jdp]")) return;
    hidePicker(true);
  });
  document.addEventListener("focusin", function (event) {
    if (!inPicker(event.target)) hidePicker(false);
  });

  // «انصراف»: a link or button marked data-discard-draft inside an autosaved form
  // leaves the form on purpose, so its draft goes with it.
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-discard-draft]");
    if (!trigger) return;
    var form = trigger.closest("form[data-autosave]");
    var state = form && autosaveState.get(form);
    if (!state) return;
    clearTimeout(state.timer);
    storage.remove("localStorage", state.storageKey);
  });

  function saveDraft(form) {
    var state = autosaveState.get(form);
    if (!state) return;
    clearTimeout(state.timer);
    var data = readForm(form);
    if (sameData(data, state.initial)) {
      // Back to what the server rendered: nothing worth keeping.
      storage.remove("localStorage", state.storageKey);
    } else {
      storage.set("localStorage", state.storageKey, { savedAt: Date.now(), path: location.pathname, data: data });
    }
  }

  function initAutosave(form) {
    if (autosaveState.has(form)) return;
    var key = formKey(form);
    var state = { key: key, storageKey: storageKey(key), initial: readForm(form), timer: null };
    autosaveState.set(form, state);

    var draft = storage.get("localStorage", state.storageKey);
    if (draft && draft.data && !sameData(draft.data, state.initial)) {
      writeForm(form, draft.data);
      showDraftNotice(form, state);
    }

    function schedule(event) {
      if (event && event.detail && event.detail.hsRestore) return;
      clearTimeout(state.timer);
      state.timer = setTimeout(function () { saveDraft(form); }, SAVE_DELAY_MS);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  function pendingList() {
    var list = storage.get("sessionStorage", PENDING_KEY);
    return Array.isArray(list) ? list : [];
  }

  function markPending(form) {
    var state = autosaveState.get(form);
    if (!state) return;
    var list = pendingList().filter(function (p) { return p.key !== state.storageKey; });
    list.push({ key: state.storageKey, at: Date.now(), path: location.pathname });
    storage.set("sessionStorage", PENDING_KEY, list);
  }

  // Did this page load come from submitting a form on `path`? A successful
  // Django POST redirects, and the page it lands on has the form page as its
  // referrer (or a counted redirect). A page the user reached otherwise, e.g.
  // typed in after a proxy's "502" or the browser's offline page, is no evidence
  // that the submit landed.
  function cameFromSubmit(path) {
    try {
      if (document.referrer && new URL(document.referrer).pathname === path) return true;
    } catch (e) { /* unparsable referrer */ }
    var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    if (nav && nav.redirectCount > 0) return true;
    return Boolean(window.performance && performance.navigation && performance.navigation.redirectCount > 0);
  }

  // Decide the fate of drafts whose form was just submitted: on the next page
  // load (fromSwap false) or after the htmx swap that answered it (fromSwap true).
  function resolvePending(fromSwap) {
    var list = pendingList();
    if (!list.length) return;
    storage.remove("sessionStorage", PENDING_KEY);
    // Login, lockout, CSRF and error pages are detours: the submit did not land.
    if (document.querySelector("[data-keep-drafts]")) return;
    var present = {};
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      present[storageKey(formKey(form))] = true;
    });
    list.forEach(function (p) {
      // Form still here: the server re-rendered it with errors, or the
      // connection failed and the user came back; the draft stays.
      if (present[p.key]) return;
      if (Date.now() - p.at > PENDING_WINDOW_MS) return;
      if (fromSwap || cameFromSubmit(p.path)) {
        storage.remove("localStorage", p.key); // saved, and the page moved on
      }
    });
  }

  function purgeOldDrafts() {
    try {
      var now = Date.now();
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf(DRAFT_PREFIX) === 0) {
          var d = storage.get("localStorage", k);
          if (!d || !d.savedAt || now - d.savedAt > DRAFT_MAX_AGE_MS) localStorage.removeItem(k);
        }
      }
    } catch (e) { /* storage disabled */ }
  }

  function showOfflineAlert(form, hasDraft) {
    form.querySelectorAll(":scope > .hs-offline-alert").forEach(function (el) { el.remove(); });
    var box = document.createElement("div");
    box.className = "alert alert-warning alert-dismissible hs-offline-alert";
    box.setAttribute("role", "alert");
    box.textContent = t(hasDraft ? "offlineDraft" : "offline");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", t("close"));
    box.appendChild(close);
    form.insertBefore(box, form.firstChild);
    box.scrollIntoView({ block: "nearest" });
  }

  // ---------------------------------------------------------------- d) confirm
  // Capture phase on document: runs before htmx's own listeners on the element,
  // so a "no" stops hx-post buttons as well as plain submits.
  var confirmedAt = new WeakMap(); // form -> time its submit button was confirmed

  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm]");
    if (!el || el.tagName === "FORM") return;
    if (!window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    // A confirmed submit button must not be asked again by its own form.
    if (el.form) confirmedAt.set(el.form, Date.now());
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;

    var message = form.getAttribute("data-confirm");
    var justConfirmed = Date.now() - (confirmedAt.get(form) || 0) < 2000;
    confirmedAt.delete(form);
    if (message && !justConfirmed && !window.confirm(message)) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }

    var autosave = autosaveState.has(form);
    if (autosave) saveDraft(form); // flush the debounced save

    if (navigator.onLine === false) {
      event.preventDefault();
      event.stopPropagation();
      showOfflineAlert(form, autosave);
    }
  }, true);

  // Bubble phase on window, after every other handler: only a submit that really
  // leaves the page is pending. htmx cancels the native submit of its forms and
  // is followed through its own events below.
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && !event.defaultPrevented && autosaveState.has(form)) {
      markPending(form);
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var detail = event.detail || {};
    var verb = detail.requestConfig && detail.requestConfig.verb;
    var elt = detail.elt;
    var form = elt && (elt.tagName === "FORM" ? elt : elt.form || (elt.closest && elt.closest("form")));
    if (form && verb && verb.toLowerCase() !== "get" && autosaveState.has(form)) markPending(form);
  });
  function keepPendingDrafts() {
    storage.remove("sessionStorage", PENDING_KEY); // the drafts themselves stay
  }
  document.addEventListener("htmx:sendError", keepPendingDrafts);
  document.addEventListener("htmx:responseError", keepPendingDrafts);

  // ---------------------------------------------------------------- wiring
  function init(root) {
    initDatepickers(root);
    document.querySelectorAll("form[data-autosave]").forEach(initAutosave);
    persianizeDigits(root);
  }

  function onReady() {
    purgeOldDrafts();
    // Resolve before init: a form that is still here must not have its draft
    // removed, and one that is gone has no notice to show.
    resolvePending(false);
    init(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onReady);
  } else {
    onReady();
  }

  // Back/forward cache: the page comes back without a new load; a submit made
  // from it (which then failed) is resolved against it now.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) resolvePending(false);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    resolvePending(true);
    var elt = event.detail && event.detail.elt;
    init(elt && elt.isConnected ? elt : document);
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail && event.detail.target) persianizeDigits(event.detail.target);
  });

  // For other scripts and tests.
  window.hamseda = {
    toPersianDigits: toPersianDigits,
    toLatinDigits: toLatinDigits,
    persianizeDigits: persianizeDigits,
    saveDraft: saveDraft,
  };
})();
