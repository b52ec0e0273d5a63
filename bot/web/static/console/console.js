/* IOP-lotsen – handläggarkonsolen: the live socket (queue notices, live chat, "online" pings).
   All text from the server is plain text and is written with textContent, never as HTML. */
(function () {
  "use strict";

  const body = document.body;
  const wsUrl = body.dataset.wsUrl;
  if (!wsUrl || !("WebSocket" in window)) return;

  const csrf = body.dataset.csrf || "";
  const page = body.dataset.page || "";
  const handoffId = body.dataset.handoffId ? Number(body.dataset.handoffId) : null;
  const PING_MS = 25000;
  const AGENT = "Handläggare";
  const SPEAKERS = { user: "Organisationen", bot: "IOP-lotsen", agent: AGENT };
  const STATES = {
    active: "En handläggare chattar med organisationen.",
    ended: "Chatten är återlämnad till boten.",
    closed: "Chatten är avslutad.",
  };

  const connStatus = document.querySelector("[data-conn-status]");
  const errorBox = document.querySelector("[data-live-error]");
  const queueNotice = document.querySelector("[data-queue-notice]");
  const stateBox = document.querySelector("[data-handoff-state]");
  const log = document.querySelector("[data-chat-log]");
  const sayForm = document.querySelector("form.say");
  const sayText = sayForm ? sayForm.querySelector("textarea[name=text]") : null;

  let socket = null;
  let pingTimer = null;
  let retries = 0;
  let everOpen = false;
  let lastSent = null; // given back to the textarea if the server says it was not delivered
  let signedOut = false; // the server ended this session (logout elsewhere, or a blocked account)
  const SIGNED_OUT_CODE = 4401;

  function setText(box, text) {
    if (box && box.textContent !== text) box.textContent = text;
  }

  function showError(text) {
    if (!errorBox) return;
    errorBox.textContent = "";
    const p = document.createElement("p");
    p.textContent = text || "Något gick fel. Försök igen.";
    errorBox.appendChild(p);
  }

  function showSignedOut() {
    setText(connStatus, "");
    setSayEnabled(false);
    if (!errorBox) return;
    errorBox.textContent = "";
    const p = document.createElement("p");
    p.textContent = "Du är utloggad. ";
    const link = document.createElement("a");
    link.href = "/handlaggare/";
    link.textContent = "Logga in igen";
    p.appendChild(link);
    errorBox.appendChild(p);
  }

  function showQueueNotice() {
    if (!queueNotice || queueNotice.childElementCount) return; // announce once, not for every change
    const p = document.createElement("p");
    p.textContent = "Kön har ändrats.";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary";
    button.textContent = "Uppdatera";
    button.addEventListener("click", () => window.location.reload());
    queueNotice.append(p, button);
  }

  function nearBottom(el) {
    return el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  }

  function appendMessage(kind, who, text, at) {
    if (!log) return;
    const follow = nearBottom(log);
    const li = document.createElement("li");
    li.className = "chat-msg chat-msg--" + kind;
    const whoEl = document.createElement("span");
    whoEl.className = "who";
    whoEl.textContent = who;
    li.appendChild(whoEl);
    if (at) {
      const atEl = document.createElement("span");
      atEl.className = "at";
      atEl.textContent = at;
      li.append(" ", atEl);
    }
    const textEl = document.createElement("span");
    textEl.className = "text";
    textEl.textContent = text || "";
    li.appendChild(textEl);
    log.appendChild(li);
    const empty = document.querySelector("[data-chat-empty]");
    if (empty) empty.hidden = true;
    if (follow) log.scrollTop = log.scrollHeight;
  }

  function setSayEnabled(enabled) {
    if (!sayForm) return;
    sayForm.querySelectorAll("textarea, button").forEach((el) => { el.disabled = !enabled; });
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "user":
      case "bot":
        appendMessage(frame.type, SPEAKERS[frame.type], frame.text, frame.at);
        break;
      case "agent":
        if (frame.text === lastSent) lastSent = null;
        appendMessage("agent", frame.name ? AGENT + " " + frame.name : AGENT, frame.text, frame.at);
        break;
      case "handoff":
        if (handoffId === null || Number(frame.handoff) !== handoffId) break;
        setText(stateBox, STATES[frame.state] || "");
        if (frame.state === "ended" || frame.state === "closed") setSayEnabled(false);
        break;
      case "queue":
        if (page === "queue") showQueueNotice();
        break;
      case "error":
        if (frame.signed_out) signedOut = true;
        showError(frame.text);
        if (lastSent !== null && sayText && !sayText.value) sayText.value = lastSent;
        lastSent = null;
        break;
      default:
        break;
    }
  }

  function send(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + wsUrl + "?csrf=" + encodeURIComponent(csrf));
    socket.addEventListener("open", () => {
      if (everOpen && page === "queue") showQueueNotice(); // we may have missed changes
      everOpen = true;
      retries = 0;
      setText(connStatus, "");
      if (handoffId !== null) send({ type: "join", handoff: handoffId });
      clearInterval(pingTimer);
      pingTimer = setInterval(() => send({ type: "ping" }), PING_MS);
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch (err) { return; }
      if (frame && typeof frame.type === "string") onFrame(frame);
    });
    socket.addEventListener("close", (event) => {
      clearInterval(pingTimer);
      socket = null;
      if (signedOut || event.code === SIGNED_OUT_CODE) {
        showSignedOut(); // reconnecting would only be refused: offer the login page instead
        return;
      }
      const delay = Math.min(30000, 1000 * 2 ** Math.min(retries, 5)) + Math.floor(Math.random() * 500);
      retries += 1;
      setText(connStatus, retries > 6
        ? "Ingen kontakt med servern. Återansluter … Ladda om sidan om det inte hjälper."
        : "Återansluter …");
      setTimeout(connect, delay);
    });
  }

  if (sayForm && sayText) {
    sayForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = sayText.value.trim();
      if (!text || sayText.disabled) return;
      if (send({ type: "say", handoff: handoffId, text: text })) {
        lastSent = text;
        sayText.value = ""; // the server echoes it back as an "agent" frame
        setText(errorBox, "");
      } else {
        showError("Meddelandet skickades inte: ingen kontakt med servern. Försök igen om en stund.");
      }
      sayText.focus();
    });
    sayText.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        sayForm.requestSubmit();
      }
    });
  }

  if (log && log.classList.contains("chat-log--live")) log.scrollTop = log.scrollHeight;
  connect();
})();
