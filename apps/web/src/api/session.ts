/** The staff session: tokens in sessionStorage (one tab, gone when it closes), and who is signed in. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const KEY = 'tdc.session';
type Listener = (tokens: Tokens | null) => void;
const listeners = new Set<Listener>();

export function readTokens(): Tokens | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Tokens) : null;
}

export function writeTokens(tokens: Tokens | null): void {
  if (tokens)
    sessionStorage.setItem(KEY, JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l(tokens);
}

export function onTokens(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
