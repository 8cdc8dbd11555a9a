/* Quiz attempt page: saves each answer the moment it is given, shows a "saved" indicator and counts
   down from the server's deadline. One save request at a time, each with the next sequence number, so
   the server applies them in order and rejects a replay. Works without this script too: every button
   submits the form, which saves the page. No framework. */
(function () {
  "use strict";

  var form = document.getElementById("attempt-form");
  if (!form || !window.fetch || !window.FormData) return;

  var strings = JSON.parse(document.getElementById("quiz-strings").textContent);
  var statusEl = document.getElementById("save-status");
  var seqInput = document.getElementById("seq");
  var seq = parseInt(seqInput.value, 10) - 1; // the last sequence number the server accepted
  var dirty = {}; // slot number -> true: changed since the last save was sent
  var pending = null; // {seq, body}: the request in flight (re-sent as is after a network error)
  var inFlight = null;
  var retryTimer = null;
  var stopped = false;
  var typingTimer = null;

  function setStatus(text, state) {
    statusEl.textContent = text;
    statusEl.setAttribute("data-state", state || "");
  }

  function clock() {
    var now = new Date();
    return ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2) + ":" + ("0" + now.getSeconds()).slice(-2);
  }

  function fieldset(slot) {
    return form.querySelector('fieldset[data-slot="' + slot + '"]');
  }

  function isAnswered(box) {
    var fields = box.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) {
      var el = fields[i];
      if (el.type === "hidden") continue;
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) return true;
      } else if (el.value && el.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }

  function refreshAnswered() {
    var boxes = form.querySelectorAll("fieldset[data-slot]");
    for (var i = 0; i < boxes.length; i++) {
      var slot = boxes[i].getAttribute("data-slot");
      var button = form.querySelector('.question-nav [data-slot-nav="' + slot + '"]');
      if (button) button.classList.toggle("is-answered", isAnswered(boxes[i]));
    }
  }

  // The answer fields of one question as {name: [values]}: what a save sends for it.
  function fieldValues(box) {
    var values = {};
    var fields = box.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) {
      var el = fields[i];
      if (!el.name || el.name === "slots") continue;
      values[el.name] = values[el.name] || [];
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) continue;
      values[el.name].push(el.value);
    }
    return values;
  }

  function sameValues(a, b) {
    var names = Object.keys(a).concat(Object.keys(b));
    for (var i = 0; i < names.length; i++) {
      var x = (a[names[i]] || []).filter(Boolean).sort().join("\u0000");
      var y = (b[names[i]] || []).filter(Boolean).sort().join("\u0000");
      if (x !== y) return false;
    }
    return true;
  }

  // Show the server's answer for one question (a save from another tab won).
  function showValues(box, values) {
    var fields = box.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) {
      var el = fields[i];
      if (!el.name || el.name === "slots") continue;
      var given = values[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = given.indexOf(el.value) !== -1;
      } else {
        el.value = given.length ? given[0] : "";
      }
    }
  }

  function payload(slots, number) {
    var body = new FormData();
    var sent = {};
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    body.append("seq", String(number));
    slots.forEach(function (slot) {
      var box = fieldset(slot);
      if (!box) return;
      body.append("slots", slot);
      sent[slot] = fieldValues(box);
      Object.keys(sent[slot]).forEach(function (name) {
        sent[slot][name].forEach(function (value) {
          body.append(name, value);
        });
      });
    });
    return { body: body, sent: sent };
  }

  // A save refused as stale: another tab (or an earlier try of ours whose reply was lost) saved first.
  // Where the server holds what we sent, it is saved; elsewhere show the server's answer and say so.
  // Questions changed again since this request left stay as the learner has them; they go next.
  function reconcile(request, reply) {
    var replaced = [];
    Object.keys(request.sent).forEach(function (slot) {
      var held = reply.answers[slot];
      var box = fieldset(slot);
      if (!held || !box || sameValues(held, request.sent[slot])) return;
      if (!sameValues(fieldValues(box), request.sent[slot])) return; // changed again: that goes next
      delete dirty[slot];
      showValues(box, held);
      box.classList.add("is-reloaded");
      if (!box.querySelector(".reloaded-note")) {
        var note = document.createElement("p");
        note.className = "reloaded-note";
        note.textContent = strings.replacedNote;
        box.insertBefore(note, box.querySelector(".question-text"));
      }
      replaced.push(slot);
    });
    seq = reply.seq;
    seqInput.value = String(seq + 1);
    refreshAnswered();
    if (replaced.length) {
      setStatus(strings.replaced.replace("{questions}", replaced.join(", ")), "error");
    } else {
      setStatus(strings.saved.replace("{time}", clock()), "saved");
    }
  }

  function send() {
    if (stopped) return Promise.resolve();
    if (inFlight) return inFlight;
    if (!pending) {
      var slots = Object.keys(dirty);
      if (!slots.length) return Promise.resolve();
      dirty = {};
      var built = payload(slots, seq + 1);
      pending = { seq: seq + 1, body: built.body, sent: built.sent };
      slots.forEach(function (slot) {
        var box = fieldset(slot);
        if (!box) return;
        box.classList.remove("is-reloaded");
        var note = box.querySelector(".reloaded-note");
        if (note) note.parentNode.removeChild(note);
      });
    }
    var request = pending;
    setStatus(strings.saving, "saving");
    inFlight = fetch(form.action, {
      method: "POST",
      body: request.body,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (reply) {
        inFlight = null;
        pending = null;
        if (reply.status === "saved") {
          seq = reply.seq;
          seqInput.value = String(seq + 1);
          refreshAnswered();
          setStatus(strings.saved.replace("{time}", clock()), "saved");
          if (Object.keys(dirty).length) return send();
        } else if (reply.status === "stale" && reply.answers) {
          // Never "saved" on the strength of the number alone: another tab may have used it.
          reconcile(request, reply);
          if (Object.keys(dirty).length) return send();
        } else if (reply.redirect) {
          stopped = true;
          setStatus(reply.message, "error");
          window.location.assign(reply.redirect);
        } else {
          stopped = true; // refused ("invalid"): say why and send nothing more from this page
          setStatus(reply.message || strings.offline, "error");
        }
      })
      .catch(function () {
        inFlight = null; // keep `pending` and send exactly it again
        setStatus(strings.offline, "error");
        clearTimeout(retryTimer);
        retryTimer = setTimeout(send, 4000);
      });
    return inFlight;
  }

  function changed(event) {
    var box = event.target.closest("fieldset[data-slot]");
    if (!box) return;
    var typing = event.target.tagName === "TEXTAREA" || event.target.type === "text";
    if (event.type === "input" && !typing) return; // a choice fires "input" and "change": save it once
    dirty[box.getAttribute("data-slot")] = true;
    if (event.type === "input") {
      setStatus(strings.unsaved, "dirty");
      clearTimeout(typingTimer);
      typingTimer = setTimeout(send, 1500);
      return;
    }
    send();
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);

  // Buttons (next, previous, finish, question numbers) post the whole page; first let autosave finish
  // and give the form the next sequence number.
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-submitting")) return;
    event.preventDefault();
    var submitter = event.submitter;
    clearTimeout(typingTimer);
    dirty = {};
    var done = function () {
      form.setAttribute("data-submitting", "1");
      seqInput.value = String(seq + 1);
      if (submitter && submitter.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = submitter.name;
        hidden.value = submitter.value;
        form.appendChild(hidden);
      }
      form.submit();
    };
    (inFlight || Promise.resolve()).then(done, done);
  });

  // Leaving the page with an unsent change: hand it to the browser to deliver.
  window.addEventListener("pagehide", function () {
    var slots = Object.keys(dirty);
    if (stopped || !slots.length || inFlight || !navigator.sendBeacon || form.getAttribute("data-submitting")) return;
    navigator.sendBeacon(form.action, payload(slots, seq + 1).body);
  });

  // Countdown from the server's deadline, corrected for the phone's clock.
  var timer = document.getElementById("timer");
  if (timer) {
    var offset = Date.parse(timer.getAttribute("data-now")) - Date.now();
    var deadline = Date.parse(timer.getAttribute("data-deadline"));
    var valueEl = document.getElementById("timer-value");
    var pad = function (n) {
      return ("0" + n).slice(-2);
    };
    var handle = null;
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - (Date.now() + offset)) / 1000));
      var h = Math.floor(left / 3600);
      var m = Math.floor((left % 3600) / 60);
      var s = left % 60;
      valueEl.textContent = (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s);
      timer.classList.toggle("is-urgent", left <= 60);
      if (left <= 0) {
        clearInterval(handle);
        setStatus(strings.timeUp, "error");
        var finish = function () {
          stopped = true;
          form.setAttribute("data-submitting", "1");
          document.getElementById("time-up-form").submit();
        };
        send().then(finish, finish);
      }
    };
    handle = setInterval(tick, 1000);
    tick();
  }
})();
