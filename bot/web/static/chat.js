// IOP-lotsen demo chat: talks to Rasa's REST channel. The conversation id is random and kept in
// sessionStorage so a reload continues the same conversation.
(function () {
  "use strict";
  const config = window.IOP_LOTSEN || { rasaUrl: "http://localhost:5005" };
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const typing = document.getElementById("typing");
  const historyKey = "iop-lotsen-history";

  function conversationId() {
    let id = sessionStorage.getItem("iop-lotsen-id");
    if (!id) {
      id = crypto.randomUUID();
      sessionStorage.setItem("iop-lotsen-id", id);
    }
    return id;
  }

  function remember(entry) {
    const history = JSON.parse(sessionStorage.getItem(historyKey) || "[]");
    history.push(entry);
    sessionStorage.setItem(historyKey, JSON.stringify(history));
  }

  function show(entry) {
    const item = document.createElement("li");
    item.className = entry.who;
    item.textContent = entry.text;  // textContent: user and bot text are never parsed as HTML
    log.appendChild(item);
    if (entry.buttons && entry.buttons.length) {
      const choices = document.createElement("div");
      choices.className = "choices";
      entry.buttons.forEach(function (button) {
        const element = document.createElement("button");
        element.type = "button";
        element.textContent = button.title;
        element.addEventListener("click", function () { send(button.payload, button.title); });
        choices.appendChild(element);
      });
      item.appendChild(choices);
    }
    log.scrollTop = log.scrollHeight;
  }

  function add(entry) { remember(entry); show(entry); }

  async function send(message, shownAs) {
    add({ who: "user", text: shownAs || message });
    typing.hidden = false;
    try {
      const response = await fetch(config.rasaUrl + "/webhooks/rest/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: conversationId(), message: message }),
      });
      if (!response.ok) throw new Error(String(response.status));
      const replies = await response.json();
      replies.forEach(function (reply) {
        if (reply.text) add({ who: "bot", text: reply.text, buttons: reply.buttons || [] });
      });
    } catch (error) {
      show({ who: "bot", text: "Något gick fel och ditt meddelande kom inte fram. Försök igen om en stund." });
    } finally {
      typing.hidden = true;
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  document.getElementById("human").addEventListener("click", function () {
    send("/request_human", "Prata med en handläggare");
  });
  document.getElementById("restart").addEventListener("click", function () {
    sessionStorage.removeItem("iop-lotsen-id");
    sessionStorage.removeItem(historyKey);
    log.innerHTML = "";
    send("/greet", "Hej");
  });

  const history = JSON.parse(sessionStorage.getItem(historyKey) || "[]");
  if (history.length) history.forEach(show); else send("/greet", "Hej");
}());
