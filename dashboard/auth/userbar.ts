import type { FastifyInstance } from "fastify";
import { type Lang, langOfUrl, pathIn } from "../i18n.ts";
import { BANNER_SLOT, escapeHtml, SESSION_SLOT } from "../pages/html.ts";
import { CSRF_FIELD } from "./hook.ts";
import type { Principal } from "./principal.ts";

const T = {
  signIn: { fi: "Kirjaudu sisään", sv: "Logga in", en: "Sign in" },
  signOut: { fi: "Kirjaudu ulos", sv: "Logga ut", en: "Sign out" },
  upload: { fi: "Lähetä tiedosto", sv: "Skicka fil", en: "Upload a file" },
  loads: { fi: "Lataushistoria", sv: "Laddningshistorik", en: "Load history" },
  signedIn: { fi: "Kirjautunut", sv: "Inloggad", en: "Signed in" },
  analyst: { fi: "analyytikko", sv: "analytiker", en: "analyst" },
  admin: { fi: "ylläpitäjä", sv: "administratör", en: "administrator" },
  user: { fi: "Käyttäjä", sv: "Användare", en: "User" },
  demo: {
    fi: "Esittelytila: tiedot ovat keksittyjä esimerkkilukuja, ja tunnisteet on luotu vain tätä esittelyä varten. Älä tallenna tänne oikeita tietoja.",
    sv: "Demoläge: uppgifterna är påhittade exempel och inloggningskoderna har skapats endast för denna demo. Spara inga riktiga uppgifter här.",
    en: "Demo mode: the figures are made-up examples and the tokens were made for this demo only. Do not store real data here.",
  },
} as const;

/** The header's user part: a sign-in link, or who is signed in with their links and a sign-out button. */
export function sessionMarkup(principal: Principal | null, lang: Lang): string {
  if (principal?.via !== "session") {
    return `<p class="userbar"><a href="${pathIn(lang, "/kirjaudu")}">${T.signIn[lang]}</a></p>`;
  }
  const role = principal.role === "admin" ? T.admin[lang] : T.analyst[lang];
  return `<div class="userbar" role="group" aria-label="${T.user[lang]}">
    <span>${T.signedIn[lang]}: <strong>${escapeHtml(principal.name)}</strong> (${role})</span>
    <a href="${pathIn(lang, "/lataa")}">${T.upload[lang]}</a>
    <a href="${pathIn(lang, "/lataukset")}">${T.loads[lang]}</a>
    <form method="post" action="${pathIn(lang, "/kirjaudu/ulos")}"><input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(principal.csrf ?? "")}"><button type="submit">${T.signOut[lang]}</button></form>
  </div>`;
}

/** The demo-mode banner under the header, on every page while the server runs with demo tokens. */
export function bannerMarkup(demo: boolean, lang: Lang): string {
  return demo ? `<p class="demo-banner" role="note"><strong>${T.demo[lang]}</strong></p>` : "";
}

/**
 * Fills the session and banner slots of every HTML page as it is rendered, before the response cache
 * stores it: the cache keeps only anonymous answers (a sign-in link in every one), and a signed-in
 * request (never cached) gets its personal header here.
 */
export function registerUserBar(app: FastifyInstance, options: { demo: boolean }): void {
  app.addHook("onSend", async (request, reply, payload) => {
    if (!String(reply.getHeader("content-type") ?? "").startsWith("text/html")) return payload;
    if (typeof payload !== "string" && !Buffer.isBuffer(payload)) return payload;
    const html = payload.toString();
    if (!html.includes(SESSION_SLOT)) return payload;
    const lang = langOfUrl(request.url);
    return html
      .replace(SESSION_SLOT, sessionMarkup(request.principal, lang))
      .replace(BANNER_SLOT, bannerMarkup(options.demo, lang));
  });
}
