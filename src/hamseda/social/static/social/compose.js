/*
 * Social pages behaviour. Plain ES2017, no build step; loaded after hamseda.js.
 *
 *  a) Compose (#compose-form): a live character counter per platform of the
 *     chosen channels, counting what will really go out: the platform's own
 *     text (or the main text) plus the campaign hashtags appended on a new line
 *     (those not already in the text). Over the limit: red, with what to do.
 *  b) The campaign's brief beside the text: its hashtags and key messages, each
 *     with "insert" (at the cursor) and "copy".
 *  c) "Now" or "at a time": the date-time box shows only for the latter, and
 *     the main button says what it will do.
 *  d) [data-copy] buttons anywhere on a social page (plain-http fallback).
 *
 * The server checks everything again (services.posts.limit_problems); this is
 * only so that nobody finds out after pressing the button.
 */
(function () {
  "use strict";

  function strings(id) {
    var out = {};
    var tpl = document.getElementById(id);
    if (tpl && tpl.content) {
      tpl.content.querySelectorAll("[data-key]").forEach(function (el) {
        out[el.getAttribute("data-key")] = el.textContent.trim();
      });
    }
    return out;
  }
  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? values[k] : m;
    });
  }
  function json(id, fallback) {
    var el = document.getElementById(id);
    if (!el) return fallback;
    try { return JSON.parse(el.textContent); } catch (e) { return fallback; }
  }
  var FA = "۰۱۲۳۴۵۶۷۸۹";
  function faNumber(n) {
    var s = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "٬");
    return s.replace(/[0-9]/g, function (d) { return FA[+d]; });
  }
  // Characters as the platforms (and Python's len) count them: code points.
  function length(text) { return Array.from(text).length; }
  // A rough twin of core.persian.search_key: enough to tell whether a hashtag
  // is already in the text in another spelling.
  function key(text) {
    return (text || "")
      .replace(/[يى]/g, "ی").replace(/ك/g, "ک")
      .replace(/[\u064B-\u065F\u0670\u0640\u200c\u200d\u200e\u200f]/g, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  }

  // ------------------------------------------------------------ d) copy
  function copyText(value, done) {
    function fallback() {
      var area = document.createElement("textarea");
      area.value = value;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      return ok;
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(value).then(function () { done(true); }, function () { done(fallback()); });
    } else {
      done(fallback());
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var s = strings("hs-social-strings");
    copyText(button.getAttribute("data-copy"), function (ok) {
      var status = document.getElementById("hs-copy-status");
      if (status) status.textContent = ok ? s.copied : s.copyFailed;
      var icon = button.querySelector(".bi");
      if (!icon || !ok) return;
      var before = icon.className;
      icon.className = "bi bi-check2";
      setTimeout(function () { icon.className = before; }, 1500);
    });
  });

  // ------------------------------------------------------------ compose
  var form = document.getElementById("compose-form");
  if (!form) return;
  var S = strings("hs-compose-strings");
  var briefs = json("hs-briefs", {});
  var limits = json("hs-limits", {});
  var channelPlatforms = json("hs-channel-platforms", {});
  var labels = json("hs-platform-labels", {});
  var text = form.querySelector("textarea[name=text]");
  var campaign = form.querySelector("select[name=campaign]");
  var append = form.querySelector("input[name=append_hashtags]");
  var images = form.querySelector("input[name=images]");
  var counters = document.getElementById("hs-counters");
  var preview = document.getElementById("hs-hashtags-preview");
  var brief = document.getElementById("hs-brief");
  var schedule = document.getElementById("hs-schedule");
  var publish = document.getElementById("hs-publish");
  var lastFocused = text;

  function chosenPlatforms() {
    var seen = {};
    var order = Object.keys(limits);
    form.querySelectorAll("input[name=accounts]:checked").forEach(function (box) {
      var p = channelPlatforms[box.value];
      if (p) seen[p] = true;
    });
    return order.filter(function (p) { return seen[p]; });
  }
  function currentBrief() {
    return (campaign && briefs[campaign.value]) || null;
  }
  // As services.posts.hashtags_line: "#" in front, spaces as "_", no repeats.
  function campaignTags(b) {
    var seen = {}, out = [];
    (b.hashtags || []).forEach(function (tag) {
      tag = String(tag).trim().replace(/ /g, "_");
      if (!tag) return;
      if (tag.charAt(0) !== "#") tag = "#" + tag;
      if (!seen[tag]) { seen[tag] = true; out.push(tag); }
    });
    return out;
  }
  // A tag counts as present when the text has it as a hashtag, in any spelling
  // (as services.posts._with_hashtags).
  var HASHTAG = /#[^\s#،؛,.!؟?:()«»"']+/g;
  function hashtagsFor(body) {
    var b = currentBrief();
    if (!b || !append || !append.checked) return { add: [], present: [] };
    var present = {};
    (body.match(HASHTAG) || []).forEach(function (tag) { present[key(tag)] = true; });
    var add = [], there = [];
    campaignTags(b).forEach(function (tag) {
      var k = key(tag);
      if (!k) return;
      if (present[k]) { there.push(tag); } else { present[k] = true; add.push(tag); }
    });
    return { add: add, present: there };
  }
  function variantOf(platform) {
    var area = form.querySelector('textarea[data-variant="' + platform + '"]');
    return area && area.value.trim() ? area.value.trim() : "";
  }
  function hasMedia() {
    return (images && images.files && images.files.length > 0) || !!form.querySelector("[data-existing-media]");
  }

  function renderCounters() {
    counters.innerHTML = "";
    var platforms = chosenPlatforms();
    if (!platforms.length) {
      var none = document.createElement("span");
      none.className = "small text-body-secondary";
      none.textContent = S.noChannel;
      counters.appendChild(none);
      return;
    }
    var media = hasMedia();
    platforms.forEach(function (p) {
      var body = variantOf(p) || text.value.trim();
      var tags = hashtagsFor(body).add;
      var full = tags.length ? (body ? body.replace(/\s+$/, "") + "\n" : "") + tags.join(" ") : body;
      var n = length(full);
      var caption = limits[p] && limits[p].caption;
      // A person publishing by hand has one caption under the pictures; the
      // API platforms send a long text as its own message after them.
      var manual = limits[p] && limits[p].manual;
      var limit = limits[p] && (media && manual ? caption : limits[p].text);
      var chip = document.createElement("span");
      chip.className = "hs-counter";
      chip.setAttribute("data-counter", p);
      chip.setAttribute("data-count", String(n));
      var name = labels[p] || p;
      if (limit && n > limit) {
        chip.classList.add("hs-counter-over");
        chip.textContent = fill(S.over, { platform: name, n: faNumber(n - limit) });
      } else {
        if (limit && n > limit * 0.9) chip.classList.add("hs-counter-near");
        chip.textContent = limit
          ? fill(S.count, { platform: name, n: faNumber(n), limit: faNumber(limit) })
          : fill(S.countNoLimit, { platform: name, n: faNumber(n) });
      }
      counters.appendChild(chip);
      if (media && !manual && caption && limit && caption < limit && n > caption && n <= limit) {
        var note = document.createElement("span");
        note.className = "hs-counter hs-counter-note";
        note.textContent = fill(S.caption, { platform: name, limit: faNumber(caption) });
        counters.appendChild(note);
      }
    });
  }

  function renderPreview() {
    var tags = hashtagsFor(text.value);
    var b = currentBrief();
    if (!b || !(b.hashtags || []).length || !append || !append.checked) {
      preview.hidden = true;
      return;
    }
    preview.hidden = false;
    preview.innerHTML = "";
    var lead = document.createElement("span");
    lead.className = "text-body-secondary";
    lead.textContent = S.appended + " ";
    preview.appendChild(lead);
    tags.add.forEach(function (tag) {
      var t = document.createElement("span");
      t.className = "hs-tag";
      t.textContent = tag;
      preview.appendChild(t);
    });
    tags.present.forEach(function (tag) {
      var t = document.createElement("span");
      t.className = "hs-tag hs-tag-present";
      t.textContent = tag + " (" + S.alreadyIn + ")";
      preview.appendChild(t);
    });
  }

  function insertAtCursor(area, value) {
    var start = area.selectionStart != null ? area.selectionStart : area.value.length;
    var end = area.selectionEnd != null ? area.selectionEnd : start;
    var before = area.value.slice(0, start);
    var after = area.value.slice(end);
    var lead = before && !/\n$/.test(before) ? "\n" : "";
    var tail = after && !/^\n/.test(after) ? "\n" : "";
    area.value = before + lead + value + tail + after;
    var caret = (before + lead + value).length;
    area.focus();
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function button(label, icon, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm " + cls;
    b.innerHTML = '<i class="bi bi-' + icon + '" aria-hidden="true"></i> ';
    b.appendChild(document.createTextNode(label));
    return b;
  }

  function renderBrief() {
    if (!brief) return;
    var b = currentBrief();
    var empty = brief.querySelector("[data-brief-empty]");
    var tagsBox = brief.querySelector("[data-brief-tags]");
    var list = brief.querySelector("[data-brief-messages]");
    tagsBox.innerHTML = "";
    list.innerHTML = "";
    brief.classList.toggle("hs-brief-active", !!b);
    if (!b) {
      empty.hidden = false;
      empty.textContent = S.pick;
      return;
    }
    empty.hidden = (b.messages || []).length > 0;
    empty.textContent = S.noMessages;
    (b.hashtags || []).forEach(function (tag) {
      var chip = button(tag, "copy", "btn-outline-primary hs-tag-button");
      chip.setAttribute("data-copy", tag);
      chip.setAttribute("title", S.copy);
      tagsBox.appendChild(chip);
    });
    (b.messages || []).forEach(function (message, index) {
      var li = document.createElement("li");
      li.className = "hs-brief-message";
      var p = document.createElement("p");
      p.className = "mb-1";
      var num = document.createElement("span");
      num.className = "badge rounded-pill text-bg-primary me-1";
      num.textContent = faNumber(index + 1);
      p.appendChild(num);
      p.appendChild(document.createTextNode(message));
      var row = document.createElement("div");
      row.className = "d-flex gap-1";
      var ins = button(S.insert, "box-arrow-in-down-left", "btn-outline-primary");
      ins.setAttribute("data-insert-message", String(index));
      ins.addEventListener("click", function () { insertAtCursor(lastFocused || text, message); });
      var cp = button(S.copy, "copy", "btn-link");
      cp.setAttribute("data-copy", message);
      row.appendChild(ins);
      row.appendChild(cp);
      li.appendChild(p);
      li.appendChild(row);
      list.appendChild(li);
    });
  }

  function renderWhen() {
    var later = form.querySelector("input[name=when][value=later]");
    var isLater = !!(later && later.checked);
    if (schedule) schedule.hidden = !isLater;
    if (publish) {
      var span = publish.querySelector("span");
      if (span) span.textContent = publish.getAttribute(isLater ? "data-label-later" : "data-label-now");
      var icon = publish.querySelector(".bi");
      if (icon) icon.className = "bi bi-" + (isLater ? "alarm" : "send");
    }
  }

  // The browser's own file box speaks the browser's language ("Choose Files"):
  // a Persian button and the chosen pictures as thumbnails instead.
  function enhanceImages() {
    if (!images || images.hasAttribute("data-enhanced")) return;
    images.setAttribute("data-enhanced", "");
    images.classList.add("hs-file-input");
    var label = document.createElement("label");
    label.className = "btn btn-outline-secondary btn-sm hs-file-button";
    label.setAttribute("for", images.id);
    label.innerHTML = '<i class="bi bi-images" aria-hidden="true"></i> ';
    label.appendChild(document.createTextNode(S.pickImages));
    var status = document.createElement("span");
    status.className = "d-block small text-body-secondary mt-1";
    status.setAttribute("aria-live", "polite");
    var thumbs = document.createElement("div");
    thumbs.className = "hs-media mt-2";
    images.insertAdjacentElement("afterend", label);
    label.insertAdjacentElement("afterend", status);
    status.insertAdjacentElement("afterend", thumbs);
    function show() {
      thumbs.innerHTML = "";
      var files = Array.prototype.slice.call(images.files || []);
      status.textContent = files.length ? fill(S.chosenImages, { n: faNumber(files.length) }) : S.noImages;
      files.forEach(function (file) {
        if (!/^image\//.test(file.type)) return;
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        thumbs.appendChild(img);
      });
    }
    images.addEventListener("change", show);
    show();
  }

  function renderAll() {
    renderCounters();
    renderPreview();
    renderBrief();
    renderWhen();
  }

  form.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("textarea[name=text], textarea[data-variant]")) {
      lastFocused = event.target;
    }
  });
  form.addEventListener("input", function () { renderCounters(); renderPreview(); });
  form.addEventListener("change", renderAll);
  enhanceImages();
  renderAll();
  // Drafts restored by hamseda.js fire "change" on the fields they fill; the
  // counters follow. A restore before this script ran is covered by renderAll.
  window.hamsedaSocial = { renderAll: renderAll, length: length, key: key };
})();
