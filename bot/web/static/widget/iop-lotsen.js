/* IOP-lotsen chat widget.
 *
 * A kommun embeds it with one tag:
 *   <script src="https://server.example/widget/iop-lotsen.js" data-server="https://server.example"
 *           data-title="IOP-lotsen" data-color="#00594f" defer></script>
 * It talks only to the project's web gateway over one WebSocket (docs/widget-protocol.md).
 * Plain ES2020, no dependencies, no build step. All text from the server is rendered with
 * textContent, never as HTML.
 */
(() => {
  "use strict";
  if (window.IopLotsen) return; // embedded twice: the first copy wins

  // All UI text (Swedish, du-tilltal). Override with window.IopLotsenConfig = {texts: {...}}.
  const TEXTS = {
    launcher: "Chatta om IOP",
    unread: "(nytt meddelande)",
    title: "IOP-lotsen",
    region: "Chatt med IOP-lotsen",
    close: "Stäng",
    closeLabel: "Stäng chatten",
    human: "Prata med en handläggare",
    restart: "Börja om",
    restartQuestion: "Vill du börja om? Samtalet hittills visas inte längre här.",
    restartYes: "Ja, börja om",
    restartNo: "Avbryt",
    privacyHeading: "Innan du börjar",
    privacy:
      "Det du skriver sparas hos kommunen så att den kan hjälpa dig och handlägga ert initiativ. " +
      "Skriv inte personnummer eller känsliga uppgifter. " +
      "Samtal som inte blir ett initiativ raderas efter en tid.",
    privacyFor:
      "Det du skriver sparas hos {kommun}, som behöver det för att svara dig och ta emot ert " +
      "initiativ. Samtal som inte blir ett initiativ raderas efter {days} dagar. Skriv inte " +
      "personnummer eller känsliga uppgifter, till exempel om någons hälsa. Ett inlämnat " +
      "initiativ blir en allmän handling och sparas enligt arkivlagen.",
    accept: "Jag förstår – starta chatten",
    empty: "Berätta kort om er idé eller ställ en fråga om IOP, så hjälper IOP-lotsen dig vidare.",
    log: "Meddelanden",
    you: "Du",
    bot: "IOP-lotsen",
    agent: "{name}, handläggare",
    agentUnknown: "Handläggare",
    says: "säger:",
    systemLabel: "Information:",
    quick: "Svarsalternativ",
    inputLabel: "Skriv ditt meddelande",
    placeholder: "",
    send: "Skicka",
    typing: "IOP-lotsen skriver …",
    progress: "Fråga {step} av {total}",
    waiting: "Vi letar efter en handläggare åt dig …",
    cancelWaiting: "Sluta vänta och fortsätt med IOP-lotsen",
    active: "Du chattar nu med {name}, handläggare.",
    activeUnknown: "Du chattar nu med en handläggare.",
    ended: "Handläggaren har lämnat över till IOP-lotsen igen.",
    closed: "Handläggaren har avslutat chatten. Du kan fortsätta skriva till IOP-lotsen.",
    reconnecting: "Återansluter …",
    offline:
      "Ingen kontakt med servern just nu. Ditt meddelande är inte skickat – försök igen om en stund.",
  };

  const B = "iop-lotsen"; // CSS namespace: every class is iop-lotsen__…
  const DEFAULT_COLOR = "#00594f";
  const MAX_LENGTH = 2000;
  const SESSION_KEY = "iop-lotsen-session"; // localStorage: the conversation survives reloads
  const ACCEPT_KEY = "iop-lotsen-accepted"; // localStorage: privacy notice read
  const OPEN_KEY = "iop-lotsen-open"; // sessionStorage: panel open across page navigation

  // -- configuration --------------------------------------------------------------------------
  // currentScript is only set while the script first runs, so read everything now.
  const script = document.currentScript || document.querySelector('script[src*="iop-lotsen.js"]');
  const data = (script && script.dataset) || {};
  const config = window.IopLotsenConfig || {};
  const T = { ...TEXTS, ...(config.texts || {}) };
  if (data.title) T.title = data.title;
  const scriptUrl = new URL(script ? script.src : "/widget/iop-lotsen.js", location.href);
  const cssUrl = new URL("iop-lotsen.css", scriptUrl).href;
  const wsUrl = socketUrl(data.server || scriptUrl.origin);
  const color = safeColor(data.color);

  function socketUrl(server) {
    const url = new URL(server, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.pathname = url.pathname.replace(/\/+$/, "") + "/chat/ws";
    url.search = url.hash = "";
    return url.href;
  }

  // White text must stay readable (WCAG 4.5:1) on the main colour; too light → the default.
  function safeColor(value) {
    const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value || "").trim());
    if (!match) return DEFAULT_COLOR;
    const hex = match[1].length === 3 ? [...match[1]].map((c) => c + c).join("") : match[1];
    const [r, g, b] = [0, 2, 4]
      .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    return 1.05 / (luminance + 0.05) >= 4.5 ? "#" + hex : DEFAULT_COLOR;
  }

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

  // Storage can throw (blocked cookies, private mode); the widget still works, it just forgets.
  function load(area, key) {
    try { return window[area].getItem(key); } catch (e) { return null; }
  }
  function save(area, key, value) {
    try { window[area].setItem(key, value); } catch (e) { /* not remembered */ }
  }

  // -- DOM ------------------------------------------------------------------------------------
  function el(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, "");
      else if (value !== false && value != null) node.setAttribute(key, String(value));
    }
    node.append(...children);
    return node;
  }
  const cls = (name) => `${B}__${name}`;
  const srOnly = (text) => el("span", { class: cls("sr"), text });
  const button = (name, text, onclick, primary = false) =>
    el("button", {
      type: "button",
      class: `${cls("btn")}${primary ? " " + cls("btn--primary") : ""} ${cls(name)}`,
      text,
      onclick,
    });

  function chatIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    const path = document.createElementNS(ns, "path");
    for (const [key, value] of [["viewBox", "0 0 24 24"], ["aria-hidden", "true"], ["focusable", "false"]]) {
      svg.setAttribute(key, value);
    }
    path.setAttribute("d", "M4 4h16v11H8l-4 4z");
    svg.append(path);
    return svg;
  }

  const unreadMark = el("span", { class: cls("unread"), hidden: true }, [srOnly(" " + T.unread)]);
  const launcher = el(
    "button",
    { type: "button", class: cls("launcher"), "aria-expanded": "false", "aria-controls": `${B}-panel` },
    [chatIcon(), el("span", { text: T.launcher }), unreadMark]
  );
  launcher.addEventListener("click", () => (panel.hidden ? open() : close(false)));
  const closeButton = el(
    "button",
    { type: "button", class: cls("close"), "aria-label": T.closeLabel, onclick: () => close(true) },
    [el("span", { "aria-hidden": "true", class: cls("close-x"), text: "×" }), T.close]
  );
  const humanButton = button("human", T.human, requestHuman);
  const restartButton = button("restart", T.restart, askRestart);
  const restartYes = button("restart-yes", T.restartYes, confirmRestart, true);
  const confirmBox = el(
    "div",
    { class: cls("confirm"), role: "group", "aria-labelledby": `${B}-confirm-q`, hidden: true },
    [
      el("p", { id: `${B}-confirm-q`, text: T.restartQuestion }),
      el("div", { class: cls("row") }, [restartYes, button("restart-no", T.restartNo, () => hideConfirm(true))]),
    ]
  );
  const progressLabel = el("span", { id: `${B}-progress-label` });
  const progressBar = el("progress", { "aria-labelledby": `${B}-progress-label`, max: 1, value: 0 });
  const progressBox = el("div", { class: cls("progress"), hidden: true }, [progressLabel, progressBar]);
  // Live regions stay in the DOM and only their content changes, so screen readers announce it.
  const handoffBox = el("div", { class: cls("handoff"), role: "status" });
  const statusBox = el("div", { class: cls("status"), role: "status" });
  const typingBox = el("div", { class: cls("typing"), role: "status" });
  const acceptButton = button("accept", T.accept, accept, true);
  const privacyText = el("p", { text: T.privacy });
  const privacyBox = el("div", { class: cls("privacy") }, [
    el("h3", { text: T.privacyHeading }),
    privacyText,
    acceptButton,
  ]);
  // The kommun's own name and retention period, from the server (unless the page set the text).
  if (!(config.texts && config.texts.privacy)) {
    fetch(new URL("/chat/config", data.server || scriptUrl.origin).href)
      .then((answer) => (answer.ok ? answer.json() : null))
      .then((facts) => {
        if (facts && facts.kommun && facts.retention_days) {
          privacyText.textContent = T.privacyFor
            .replace("{kommun}", facts.kommun)
            .replace("{days}", String(facts.retention_days));
        }
      })
      .catch(() => {}); // the general notice stays
  }
  const emptyHint = el("p", { class: cls("empty"), text: T.empty, hidden: true });
  // tabindex: the log scrolls, so keyboard users must be able to reach it.
  let log = el("ol", {
    class: cls("log"),
    "aria-live": "polite",
    "aria-relevant": "additions",
    "aria-label": T.log,
    tabindex: "0",
  });
  const input = el("textarea", {
    id: `${B}-input`,
    class: cls("input"),
    rows: "2",
    maxlength: String(MAX_LENGTH),
    placeholder: T.placeholder || null,
  });
  const sendButton = el("button", { type: "submit", class: `${cls("btn")} ${cls("btn--primary")} ${cls("send")}`, text: T.send });
  const form = el("form", { class: cls("composer"), novalidate: true }, [
    el("label", { for: `${B}-input`, class: cls("label"), text: T.inputLabel }),
    el("div", { class: cls("row") }, [input, sendButton]),
  ]);

  const panel = el(
    "section",
    { id: `${B}-panel`, class: cls("panel"), role: "region", "aria-label": T.region, hidden: true },
    [
      el("div", { class: cls("header") }, [el("h2", { class: cls("title"), text: T.title }), closeButton]),
      el("div", { class: cls("toolbar") }, [humanButton, restartButton]),
      confirmBox, progressBox, handoffBox, statusBox, privacyBox, emptyHint, log, typingBox, form,
    ]
  );
  // A complementary landmark, so the launcher is not content outside every landmark.
  const root = el("aside", { class: B, lang: "sv", "aria-label": T.title, hidden: true }, [launcher, panel]);
  root.style.setProperty("--iop-color", color); // CSSOM: allowed under a strict style-src CSP

  // -- state ----------------------------------------------------------------------------------
  let socket = null;
  let ready = false; // a session frame arrived on the current socket
  let attempt = 0;
  let retryTimer = 0;
  let quick = null; // the button group of the newest bot message
  let focusNextQuick = false; // a quick reply was clicked; its successor may take focus
  let handoffState = null;
  const pending = []; // own texts whose `user` echo this tab will ignore
  let stick = true; // the log follows the newest message unless the user scrolled up to read
  let autoTop = -1; // where scrollToEnd left the log; a scroll that stays there was not the user

  // Banners, progress and the typing line change the log's height; keep the newest in view.
  const resizeWatch = "ResizeObserver" in window ? new ResizeObserver(() => stick && scrollToEnd()) : null;
  if (resizeWatch) resizeWatch.observe(log);
  panel.addEventListener(
    "scroll",
    (event) => {
      if (event.target !== log) return;
      if (log.scrollHeight - log.scrollTop - log.clientHeight < 32) stick = true;
      else if (log.scrollTop !== autoTop) stick = false;
    },
    true // scroll events don't bubble; capture them on the way down
  );

  const accepted = () => load("localStorage", ACCEPT_KEY) === "1";

  function applyAccepted() {
    const ok = accepted();
    privacyBox.hidden = ok;
    log.hidden = !ok;
    for (const control of [input, sendButton, humanButton, restartButton]) control.disabled = !ok;
    updateEmptyHint();
  }

  function updateEmptyHint() {
    emptyHint.hidden = !accepted() || !ready || log.children.length > 0;
  }

  // -- open / close ---------------------------------------------------------------------------
  function open(moveFocus = true) {
    panel.hidden = false;
    root.classList.add(`${B}--open`);
    launcher.setAttribute("aria-expanded", "true");
    unreadMark.hidden = true;
    save("sessionStorage", OPEN_KEY, "1");
    if (accepted()) connect();
    if (moveFocus) (accepted() ? input : acceptButton).focus();
    scrollToEnd();
  }

  function close(focusLauncher) {
    panel.hidden = true;
    root.classList.remove(`${B}--open`);
    launcher.setAttribute("aria-expanded", "false");
    save("sessionStorage", OPEN_KEY, "0");
    if (focusLauncher) launcher.focus();
  }

  function accept() {
    save("localStorage", ACCEPT_KEY, "1");
    applyAccepted();
    connect();
    input.focus();
  }

  // -- connection -----------------------------------------------------------------------------
  function connect() {
    if (socket || retryTimer) return; // open, opening, or waiting to retry
    let ws;
    try {
      ws = new WebSocket(wsUrl);
    } catch (e) {
      scheduleRetry();
      return;
    }
    socket = ws;
    ws.onopen = () => send({ type: "hello", session: load("localStorage", SESSION_KEY) }, true);
    ws.onmessage = (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && typeof frame === "object") handle(frame);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      setReady(false);
      showTyping(false);
      scheduleRetry();
    };
  }

  // Back off 1 s, 2 s, 4 s … at most 15 s; hello with the stored id picks the conversation up.
  function scheduleRetry() {
    statusBox.textContent = T.reconnecting;
    const delay = Math.min(1000 * 2 ** attempt, 15000);
    attempt += 1;
    retryTimer = setTimeout(() => {
      retryTimer = 0;
      connect();
    }, delay);
  }

  window.addEventListener("online", () => {
    if (!retryTimer) return;
    clearTimeout(retryTimer);
    retryTimer = 0;
    connect();
  });

  function setReady(value) {
    ready = value;
    // aria-disabled, not disabled: the button stays focusable and explains why nothing was sent.
    sendButton.setAttribute("aria-disabled", String(!value));
    updateEmptyHint();
  }

  // Sends one frame; tells the user (and returns false) when there is no connection.
  function send(frame, evenBeforeSession = false) {
    if (!socket || socket.readyState !== WebSocket.OPEN || (!ready && !evenBeforeSession)) {
      if (!evenBeforeSession) addMessage("system", T.offline, { alert: true });
      return false;
    }
    socket.send(JSON.stringify(frame));
    return true;
  }

  function handle(frame) {
    switch (frame.type) {
      case "session":
        if (typeof frame.id === "string") save("localStorage", SESSION_KEY, frame.id);
        attempt = 0;
        statusBox.textContent = "";
        pending.length = 0;
        showTyping(false);
        setReady(true);
        renderHistory(Array.isArray(frame.history) ? frame.history : []);
        setHandoff(frame.handoff || null, frame.handoff_name, true);
        setProgress(frame.progress);
        break;
      case "typing":
        showTyping(Boolean(frame.on));
        break;
      case "bot":
        addMessage("bot", frame.text, { buttons: frame.buttons, live: true });
        break;
      case "user":
        if (!takePending(frame.text)) addMessage("user", frame.text);
        break;
      case "agent":
        addMessage("agent", frame.text, { name: frame.name, live: true });
        if (handoffState === "active" && frame.name && !handoffBox.dataset.name) {
          setHandoff("active", frame.name, true);
        }
        break;
      case "handoff":
        setHandoff(frame.state, frame.name, false);
        break;
      case "progress":
        setProgress(frame.done ? null : frame);
        break;
      case "error":
        addMessage("system", frame.text, { alert: true });
        // A hello the gateway could not take yet (many are connecting): say hello again later.
        if (!ready && typeof frame.retry_after === "number") helloLater(frame.retry_after);
        break;
      default: // unknown frames are ignored, so the gateway can add new ones safely
    }
  }

  function helloLater(seconds) {
    const ws = socket;
    setTimeout(() => {
      if (socket === ws && !ready) send({ type: "hello", session: load("localStorage", SESSION_KEY) }, true);
    }, Math.min(Math.max(seconds, 1), 60) * 1000);
  }

  function takePending(text) {
    const index = pending.indexOf(String(text ?? "").trim());
    if (index < 0) return false;
    pending.splice(0, index + 1);
    return true;
  }

  // -- rendering ------------------------------------------------------------------------------
  function speaker(from, name) {
    if (from === "user") return T.you;
    if (from === "bot") return T.bot;
    return name ? fill(T.agent, { name }) : T.agentUnknown;
  }

  function addMessage(from, text, options = {}) {
    const { buttons = [], name, live = false, alert = false, target = log } = options;
    const kind = ["user", "bot", "agent"].includes(from) ? from : "system";
    const item = el("li", { class: `${cls("msg")} ${cls(`msg--${kind}`)}` });
    if (alert) item.classList.add(cls("msg--error"));
    if (kind === "system") {
      item.append(srOnly(T.systemLabel + " "));
    } else {
      // Who is speaking, visibly and for screen readers ("IOP-lotsen säger: …").
      item.append(el("span", { class: cls("who") }, [speaker(kind, name), srOnly(" " + T.says)]));
    }
    item.append(el("span", { class: cls("text"), text: String(text ?? "") }));
    if (kind === "bot" && target === log) removeQuick();
    if (kind === "bot" && Array.isArray(buttons) && buttons.length) renderQuick(item, buttons);
    target.append(item);
    if (target !== log) return;
    if (live && panel.hidden) unreadMark.hidden = false;
    updateEmptyHint();
    scrollToEnd();
    if (kind === "bot" && quick && focusNextQuick) {
      // Only if the user is still where the click left them and has not started typing.
      const first = quick.querySelector("button");
      if (first && document.activeElement === input && !input.value) first.focus();
      focusNextQuick = false;
    }
  }

  function renderQuick(item, buttons) {
    const group = el("div", { class: cls("quick"), role: "group", "aria-label": T.quick });
    for (const choice of buttons) {
      if (!choice || choice.title == null) continue;
      const title = String(choice.title);
      group.append(button("choice", title, () => chooseQuick(title, choice.payload)));
    }
    item.append(group);
    quick = group;
  }

  function removeQuick() {
    if (quick) quick.remove();
    quick = null;
  }

  function chooseQuick(title, payload) {
    if (!sendMessage(title, typeof payload === "string" && payload ? payload : null)) return;
    removeQuick();
    focusNextQuick = true;
    input.focus(); // the clicked button is gone; never leave focus on nothing
  }

  // A fresh list replaces the old one, so a screen reader does not read the whole history aloud.
  function renderHistory(entries) {
    const hadFocus = log.contains(document.activeElement);
    const fresh = log.cloneNode(false);
    quick = null;
    entries.forEach((entry, i) => {
      if (!entry || typeof entry !== "object") return;
      addMessage(entry.from, entry.text, {
        name: entry.name,
        buttons: i === entries.length - 1 ? entry.buttons : [],
        target: fresh,
      });
    });
    log.replaceWith(fresh);
    if (resizeWatch) {
      resizeWatch.unobserve(log);
      resizeWatch.observe(fresh);
    }
    log = fresh;
    updateEmptyHint();
    scrollToEnd();
    if (hadFocus) ((quick && quick.querySelector("button")) || input).focus();
  }

  function setHandoff(state, name, quiet) {
    const hadFocus = handoffBox.contains(document.activeElement);
    const previous = handoffState;
    handoffState = state === "waiting" || state === "active" ? state : null;
    handoffBox.replaceChildren();
    delete handoffBox.dataset.name;
    if (state === "waiting") {
      handoffBox.append(el("p", { text: T.waiting }), button("cancel-handoff", T.cancelWaiting, cancelWaiting));
    } else if (state === "active") {
      if (name) handoffBox.dataset.name = name;
      handoffBox.append(el("p", { text: name ? fill(T.active, { name }) : T.activeUnknown }));
    } else if (!quiet && state === "closed") {
      addMessage("system", T.closed);
    } else if (!quiet && state === "ended" && previous === "active") {
      // "ended" after waiting means the wait was cancelled: nobody handed anything back.
      addMessage("system", T.ended);
    }
    if (hadFocus) input.focus();
  }

  function setProgress(progress) {
    const show = Boolean(progress) && !progress.done && Number(progress.total) > 0;
    progressBox.hidden = !show;
    if (!show) return;
    const total = Number(progress.total);
    const step = Math.min(Math.max(Number(progress.step) || 0, 0), total);
    progressLabel.textContent = fill(T.progress, { step, total });
    progressBar.max = total;
    progressBar.value = step;
  }

  function showTyping(on) {
    typingBox.replaceChildren();
    if (!on) return;
    const dots = el("span", { class: cls("dots"), "aria-hidden": "true" }, [el("span"), el("span"), el("span")]);
    typingBox.append(dots, T.typing);
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
    autoTop = log.scrollTop;
    stick = true;
  }

  // -- user actions ---------------------------------------------------------------------------
  function sendMessage(text, payload = null) {
    const frame = payload ? { type: "message", text, payload } : { type: "message", text };
    if (!send(frame)) return false;
    addMessage("user", text);
    pending.push(text.trim());
    if (pending.length > 10) pending.shift();
    return true;
  }

  function submit() {
    focusNextQuick = false;
    const text = input.value.trim().slice(0, MAX_LENGTH);
    if (text && sendMessage(text)) {
      input.value = ""; // on failure the text stays in the field
      removeQuick(); // answered in free text: the old choices no longer apply
    }
    input.focus();
  }

  function requestHuman() {
    // The gateway records a new request as the user's message "Prata med en handläggare";
    // during a handoff it only repeats the current state.
    if (send({ type: "human" }) && !handoffState) addMessage("user", T.human);
  }

  function cancelWaiting() {
    if (!send({ type: "cancel_handoff" })) return;
    setHandoff(null, null, true); // the gateway confirms with "ended"; no note for a cancelled wait
    input.focus();
  }

  function askRestart() {
    confirmBox.hidden = false;
    restartYes.focus();
  }

  function hideConfirm(focusRestart) {
    confirmBox.hidden = true;
    if (focusRestart) restartButton.focus();
  }

  function confirmRestart() {
    hideConfirm(false);
    if (send({ type: "restart" })) input.focus();
    else restartButton.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", () => {
    focusNextQuick = false;
  });
  root.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.isComposing || panel.hidden) return;
    event.preventDefault();
    if (!confirmBox.hidden && confirmBox.contains(event.target)) hideConfirm(true);
    else close(true);
  });

  // -- start ----------------------------------------------------------------------------------
  function start() {
    // Hidden until our stylesheet is in, so the page never flashes an unstyled widget.
    const reveal = () => { root.hidden = false; };
    if (document.querySelector(`link[rel="stylesheet"][href="${cssUrl}"]`)) {
      reveal();
    } else {
      const link = el("link", { rel: "stylesheet", href: cssUrl });
      link.addEventListener("load", reveal);
      link.addEventListener("error", reveal);
      document.head.append(link);
    }
    document.body.append(root);
    applyAccepted();
    setReady(false);
    const remembered = load("sessionStorage", OPEN_KEY);
    // Restoring the open panel after a navigation must not move focus away from the page.
    if (remembered === "1" || (remembered === null && data.open === "true")) open(false);
  }

  window.IopLotsen = {
    open: () => open(true),
    close: () => close(true),
    sessionId: () => load("localStorage", SESSION_KEY),
  };

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
