import type { Principal } from "../auth/principal.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { escapeHtml, layout } from "./html.ts";

const T = {
  title: { fi: "Kirjaudu sisään", sv: "Logga in", en: "Sign in" },
  intro: {
    fi: "Kunnan analyytikko kirjautuu ylläpitäjältä saamallaan tunnisteella lähettääkseen kuntansa tiedot. Tulosten katselu ei vaadi kirjautumista.",
    sv: "Kommunens analytiker loggar in med koden från administratören för att skicka kommunens uppgifter. Att se resultaten kräver ingen inloggning.",
    en: "A municipal analyst signs in with the token from the administrator to send the municipality's data. Reading the results needs no sign-in.",
  },
  token: { fi: "Tunniste", sv: "Kod", en: "Token" },
  tokenHint: {
    fi: "Muotoa seu_… (saat sen ylläpitäjältä)",
    sv: "Formen seu_… (du får den av administratören)",
    en: "Looks like seu_… (from the administrator)",
  },
  submit: { fi: "Kirjaudu", sv: "Logga in", en: "Sign in" },
  wrong: {
    fi: "Tunniste ei kelpaa. Tarkista, että kopioit sen kokonaan, tai pyydä ylläpitäjältä uusi.",
    sv: "Koden godtas inte. Kontrollera att du kopierade hela koden, eller be administratören om en ny.",
    en: "The token is not valid. Check that you copied all of it, or ask the administrator for a new one.",
  },
  already: { fi: "Olet kirjautunut nimellä", sv: "Du är inloggad som", en: "You are signed in as" },
  errorTitle: { fi: "Virhe", sv: "Fel", en: "Error" },
} as const;

/** The sign-in form (a plain POST form: works without JavaScript). */
export function signInPage(
  lang: Lang,
  options: { error?: boolean; next?: string; principal?: Principal | null },
): string {
  const { error, next, principal } = options;
  const signedIn =
    principal?.via === "session"
      ? `<p class="success-box">${T.already[lang]} <strong>${escapeHtml(principal.name)}</strong>.</p>`
      : "";
  const body = `<h1>${T.title[lang]}</h1>
${error ? `<div class="error-box" role="alert" id="signin-error"><p>${T.wrong[lang]}</p></div>` : ""}
${signedIn}
<p>${T.intro[lang]}</p>
<form method="post" action="${pathIn(lang, "/kirjaudu")}">
  <label for="token">${T.token[lang]}</label>
  <input type="password" id="token" name="token" required autocomplete="off" spellcheck="false" size="60"
    aria-describedby="token-hint${error ? " signin-error" : ""}"${error ? ' aria-invalid="true"' : ""}>
  <p id="token-hint">${T.tokenHint[lang]}</p>
  ${next ? `<input type="hidden" name="next" value="${escapeHtml(next)}">` : ""}
  <button type="submit" class="primary">${T.submit[lang]}</button>
</form>`;
  return layout({
    title: error ? `${T.errorTitle[lang]}: ${T.title[lang]}` : T.title[lang],
    lang,
    path: "/kirjaudu",
    body,
  });
}
