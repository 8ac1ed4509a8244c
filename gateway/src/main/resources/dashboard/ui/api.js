// The HTTP API, with the token of this tab. The token lives in sessionStorage only: it is gone
// when the tab closes, it is never in a cookie (so no request is authenticated by accident),
// and it is sent only as an Authorization header to this origin.
import { language } from './i18n.js';

const TOKEN_KEY = 'gardien.token';

/** A refused request: the HTTP status and the problem document's type and detail. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.type = problem?.type || '';
  }
  /** True when the server does not offer this (404 on a route, or 400 not-implemented). */
  get unavailable() {
    return (this.status === 404 && this.type === 'urn:gardien:problem:not-found' && /no resource at/.test(this.message))
      || this.type === 'urn:gardien:problem:not-implemented';
  }
}

export function storedToken() { return sessionStorage.getItem(TOKEN_KEY); }
export function storeToken(token) { sessionStorage.setItem(TOKEN_KEY, token); }
export function forgetToken() { sessionStorage.removeItem(TOKEN_KEY); }

let onUnauthorized = () => {};
/** What to do when the server stops accepting the token (sign the user out). */
export function whenUnauthorized(handler) { onUnauthorized = handler; }

export function headers(token = storedToken(), extra = {}) {
  return { Authorization: 'Bearer ' + token, Accept: 'application/json', 'Accept-Language': language(), ...extra };
}

async function request(method, path, body, token) {
  let response;
  try {
    response = await fetch(path, {
      method, cache: 'no-store', credentials: 'omit',
      headers: headers(token, body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { detail: e.message });
  }
  if (response.ok) return response.status === 204 ? null : response.json();
  let problem = null;
  try { problem = await response.json(); } catch (e) { /* not a problem document */ }
  const error = new ApiError(response.status, problem);
  if (response.status === 401 && token === undefined) onUnauthorized();
  throw error;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body),
  delete: (path) => request('DELETE', path),
  /** Checks a token before it is stored: resolves with the visible sites or rejects with ApiError. */
  check: (token) => request('GET', '/api/v1/sites', undefined, token),
};

let session = null;

/**
 * Who is signed in and the sites they may see ({you: {name, role}, sites}), asked once per
 * sign-in; {@code you} is null from a gateway that does not say.
 */
export function whoAmI() {
  if (!session) {
    session = request('GET', '/api/v1/sites').then((j) => ({ you: j.you ?? null, sites: j.sites }));
    session.catch(() => { session = null; });
  }
  return session;
}

/** Forgets who is signed in (sign-out, or a portfolio that may have changed). */
export function forgetWho() { session = null; }

/**
 * True when the role may acknowledge, resolve and silence (admin, building manager; the API
 * scopes them to their sites). Unknown (an older gateway): offered, and the API decides.
 */
export function mayAct(you) {
  return !you || you.role === 'admin' || you.role === 'building-manager';
}

/** A query string from an object; arrays repeat the key (point=a&point=b). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else if (v !== undefined && v !== null && v !== '') q.append(k, v);
  }
  return q.toString();
}
