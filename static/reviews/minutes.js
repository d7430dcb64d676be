/* The live recording page: autosave that loses nothing, and htmx answers that carry errors.
 *
 * - Textareas marked .autosave post themselves (htmx, 800 ms after typing stops, and on blur).
 *   Every keystroke is also kept as a draft in localStorage; a draft newer than the server's
 *   copy is put back on reload and saved.
 * - A failed save (network down, server error) keeps the text, says "Not saved — retrying" and
 *   tries again with a growing delay; a refusal (signed minutes, session ended) is shown as is.
 * - Forms answered 400 (field errors, typed text kept) or 409 (a rule refused) are swapped in
 *   like any other answer, so the message appears where the user was typing.
 * - Each autosave sends the version of the item its text is based on (data-version, moved on by
 *   the ETag of every saved answer). If another recorder saved the item since, the answer is 409
 *   with their text: the box keeps ours (and its draft) until the recorder keeps theirs, takes
 *   the other text, or combines both.
 */
(function () {
  "use strict";

  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "40[09]", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];

  var RETRY_MS = [2000, 4000, 8000, 15000, 30000];
  var pending = new Set();

  function statusOf(area) {
    return document.querySelector(area.dataset.status);
  }

  function say(area, html) {
    var status = statusOf(area);
    if (status) status.innerHTML = html;
  }

  function time(ms) {
    var d = new Date(ms);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function readDraft(area) {
    try {
      return JSON.parse(window.localStorage.getItem(area.dataset.draftKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function keepDraft(area) {
    pending.add(area);
    try {
      window.localStorage.setItem(
        area.dataset.draftKey,
        JSON.stringify({ text: area.value, at: Date.now(), version: area.dataset.version })
      );
    } catch (e) {
      /* Storage full or disabled: the textarea still holds the text. */
    }
  }

  function dropDraft(area) {
    pending.delete(area);
    try {
      window.localStorage.removeItem(area.dataset.draftKey);
    } catch (e) {
      /* Nothing to drop. */
    }
  }

  function retry(area) {
    var attempt = Number(area.dataset.attempt || 0);
    area.dataset.attempt = String(attempt + 1);
    say(area, '<span class="text-warning-emphasis"><i class="bi bi-arrow-repeat me-1"></i>Not saved — retrying</span>');
    window.clearTimeout(area._c5Retry);
    area._c5Retry = window.setTimeout(function () {
      htmx.trigger(area, "c5:retry");
    }, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
  }

  function isAutosave(elt) {
    return elt && elt.classList && elt.classList.contains("autosave");
  }

  document.addEventListener("input", function (event) {
    if (isAutosave(event.target)) {
      keepDraft(event.target);
      say(event.target, '<span class="text-body-secondary">Typing…</span>');
    }
  });

  function versionOf(etag) {
    var match = /"(\d+)"/.exec(etag || "");
    return match ? match[1] : null;
  }

  document.body.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (isAutosave(elt) && elt.dataset.version !== undefined) event.detail.parameters.version = elt.dataset.version;
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (isAutosave(elt)) elt._c5Sending = elt.value;
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!isAutosave(elt)) return;
    var xhr = event.detail.xhr;
    /* htmx counts the swapped 400 and 409 as successful; only a 2xx saved the text. */
    if (event.detail.successful && xhr && xhr.status < 300) {
      elt.dataset.attempt = "0";
      var saved = versionOf(xhr && xhr.getResponseHeader("ETag"));
      if (saved !== null) elt.dataset.version = saved;
      if (elt.value === elt._c5Sending) dropDraft(elt);
      return;
    }
    if (!xhr || xhr.status === 0 || xhr.status >= 500) {
      retry(elt);
    } else if (xhr.status === 401 || xhr.status === 403) {
      say(elt, '<span class="text-danger"><i class="bi bi-lock me-1"></i>' + (xhr.status === 401 ? xhr.responseText :
        "Not saved: you may no longer record this meeting.") + " Your text is kept in this browser.</span>");
    }
    /* 400 and 409 carry their own message, already swapped into the status line; the draft stays. */
  });

  document.body.addEventListener("htmx:sendError", function (event) {
    var elt = event.detail.elt;
    if (isAutosave(elt)) return; /* afterRequest retries it. */
    showAlert("Not sent: the network failed. What you typed is still in the form; send it again.");
  });

  document.body.addEventListener("htmx:responseError", function (event) {
    var elt = event.detail.elt;
    if (isAutosave(elt)) return;
    var xhr = event.detail.xhr;
    var message = xhr.status === 401 ? xhr.responseText :
      xhr.status === 403 ? "You are not allowed to do this." :
      "The server could not save this (error " + xhr.status + "). What you typed is still in the form; try again.";
    showAlert(message);
  });

  /* The recorder's choice in an edit conflict: the panel names the item's box and the version now saved. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-c5-resolve]") : null;
    if (!button) return;
    var panel = button.closest("[data-c5-conflict-for]");
    var area = panel && document.querySelector(panel.dataset.c5ConflictFor);
    if (!area) return;
    var theirs = panel.querySelector(".minutes-theirs").textContent;
    var choice = button.dataset.c5Resolve;
    area.dataset.version = panel.dataset.c5Version;
    if (choice === "theirs") {
      area.value = theirs;
      dropDraft(area);
      say(area, '<span class="text-body-secondary">Showing the minutes now saved.</span>');
      return;
    }
    if (choice === "both") area.value = theirs ? theirs + "\n\n" + area.value : area.value;
    keepDraft(area);
    say(area, '<span class="text-body-secondary">Saving…</span>');
    htmx.trigger(area, "c5:retry");
  });

  function showAlert(message) {
    var box = document.getElementById("record-alerts");
    if (!box) return;
    var div = document.createElement("div");
    div.className = "alert alert-danger alert-dismissible fade show";
    div.setAttribute("role", "alert");
    div.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "Close");
    div.appendChild(close);
    box.appendChild(div);
  }

  /* On load (after htmx has processed the page): put back drafts newer than the server's copy, then save them. */
  document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("textarea.autosave").forEach(function (area) {
    var draft = readDraft(area);
    if (!draft) return;
    var serverAt = Number(area.dataset.serverUpdated || 0) * 1000;
    if (draft.text === area.value) {
      dropDraft(area);
    } else if (draft.version !== undefined || draft.at > serverAt) {
      /* Saved on the version it was typed on: if someone saved the item since, the server says so. */
      if (draft.version !== undefined) area.dataset.version = draft.version;
      area.value = draft.text;
      pending.add(area);
      say(area, '<span class="text-warning-emphasis"><i class="bi bi-clock-history me-1"></i>Restored your unsaved text from ' +
        time(draft.at) + " — saving</span>");
      htmx.trigger(area, "c5:retry");
    } else {
      dropDraft(area);
    }
  });
  });

  window.addEventListener("beforeunload", function (event) {
    if (pending.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
