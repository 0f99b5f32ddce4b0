import { TokenStore } from "../../core/tokens.ts";

/** The demo tokens' holders: an administrator and an analyst of Jyväskylä, whose data the demo has. */
export const DEMO_ADMIN = "Esittelyn ylläpitäjä";
export const DEMO_ANALYST = "Esittelyn analyytikko, Jyväskylä";
export const DEMO_ANALYST_KUNNAT = ["179"];

/** Demo mode: an in-memory store with a fresh admin and analyst token (printed once by `npm start`). */
export function createDemoTokens(): {
  store: TokenStore;
  admin: { id: string; token: string };
  analyst: { id: string; token: string };
} {
  const store = TokenStore.inMemory({ demo: true });
  const admin = store.add({ role: "admin", name: DEMO_ADMIN });
  const analyst = store.add({ role: "analyst", name: DEMO_ANALYST, kunnat: DEMO_ANALYST_KUNNAT });
  return {
    store,
    admin: { id: admin.entry.id, token: admin.token },
    analyst: { id: analyst.entry.id, token: analyst.token },
  };
}
