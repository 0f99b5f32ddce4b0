// Seuranta's one optional script (served as /seuranta.js, allowed by the pages' CSP `script-src 'self'`).
// Every page works without it: it only (1) sends a choice form (`form.switch`) when a choice is made with
// the mouse or a finger, and (2) shows a chart mark's value (the text of its SVG <title>, already in the
// page language's number format) in a tooltip on hover or tap. Nothing here is needed to read a figure:
// each chart has its text alternative and its table.
(() => {
  const NOTE = {
    fi: "Sivu päivittyy, kun valitset hiirellä tai kosketuksella. Näppäimistöllä valitse ja paina Näytä.",
    sv: "Sidan uppdateras när du väljer med mus eller pekskärm. Med tangentbordet: välj och tryck på Visa.",
    en: "The page updates when you choose with a mouse or touch. With the keyboard, choose and press Show.",
  };
  const lang = document.documentElement.lang in NOTE ? document.documentElement.lang : "fi";

  // (1) Choice forms. A keyboard user moving through a closed <select> with the arrow keys fires a change
  // on every step; sending the form then would reload the page at each step (WCAG 3.2.2), so a change
  // that follows a key press waits for the form's own button.
  for (const form of document.querySelectorAll("form.switch")) {
    let byKeyboard = false;
    form.addEventListener("keydown", () => {
      byKeyboard = true;
    });
    form.addEventListener("pointerdown", () => {
      byKeyboard = false;
    });
    form.addEventListener("change", (event) => {
      if (byKeyboard || !(event.target instanceof HTMLSelectElement)) return;
      form.requestSubmit();
    });
    const note = document.createElement("p");
    note.className = "auto-note";
    note.textContent = NOTE[lang];
    form.prepend(note);
  }

  // (2) Tooltips on chart marks. The marks' <title> texts move into a map so that the browser's own
  // tooltip does not show the same text a second time.
  const texts = new WeakMap();
  for (const title of document.querySelectorAll("figure svg title")) {
    const mark = title.parentElement;
    if (!mark || mark.tagName.toLowerCase() === "svg") continue;
    texts.set(mark, title.textContent ?? "");
    title.remove();
  }
  const tip = document.createElement("div");
  tip.className = "chart-tip";
  tip.setAttribute("aria-hidden", "true");
  tip.hidden = true;
  document.body.append(tip);

  const show = (event) => {
    const text = event.target instanceof Element ? texts.get(event.target) : undefined;
    if (text === undefined) {
      tip.hidden = true;
      return;
    }
    tip.textContent = text;
    tip.hidden = false;
    // CSSOM properties, not a style attribute: the CSP blocks the latter, not the former
    const x = Math.min(
      event.pageX + 12,
      window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 4,
    );
    tip.style.left = `${Math.max(window.scrollX + 4, x)}px`;
    tip.style.top = `${event.pageY - tip.offsetHeight - 10}px`;
  };
  for (const svg of document.querySelectorAll("figure svg")) {
    svg.addEventListener("pointermove", show);
    svg.addEventListener("pointerdown", show);
    svg.addEventListener("pointerleave", () => {
      tip.hidden = true;
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") tip.hidden = true;
  });
})();
