// The dashboard's shell: sign-in, who is signed in, language switch, page titles, and the views
// behind the hash routes #/alerts[?filters], #/alerts/ID, #/sites, #/sites/ID[/day|week|month],
// #/energy[/CATEGORY/PERIOD], #/silences, #/rules.
import { api, storedToken, storeToken, forgetToken, whenUnauthorized, whoAmI, forgetWho } from './api.js';
import { alertView } from './alert.js';
import { alertsView } from './alerts.js';
import { destroyCharts } from './chart.js';
import { errorText, message } from './dom.js';
import { energyView } from './energy.js';
import { t, translate, language, setLanguage, LANGUAGES } from './i18n.js';
import { rulesView } from './rulesview.js';
import { silencesView } from './silences.js';
import { sitesView, siteView } from './site.js';

const $ = (id) => document.getElementById(id);
let leave = null; // stops what the current view keeps running (the stream)
let generation = 0;

function signedIn(yes) {
  $('sign-in').hidden = yes;
  $('nav').hidden = !yes;
  $('sign-out').hidden = !yes;
  $('who').hidden = !yes;
  $('view').hidden = !yes;
}

function title(text) {
  document.title = `${text} — Gardien`;
}

function signOut(reason) {
  forgetToken();
  forgetWho();
  leave?.();
  leave = null;
  destroyCharts();
  $('view').replaceChildren();
  signedIn(false);
  title(t('title.signIn'));
  const error = $('sign-in-error');
  error.hidden = !reason;
  error.textContent = reason ? t(reason) : '';
  $('token').value = '';
  $('token').focus();
}

async function showWho() {
  try {
    const { you } = await whoAmI();
    $('who').textContent = you ? t('who', you.name, t('role.' + you.role)) : '';
  } catch (e) {
    $('who').textContent = '';
  }
}

async function route() {
  if (!storedToken()) {
    signOut(null);
    return;
  }
  signedIn(true);
  const mine = ++generation;
  leave?.();
  leave = null;
  destroyCharts();
  const view = $('view');
  view.replaceChildren();
  delete view.dataset.ready;
  showWho();
  const [path, search = ''] = location.hash.split('?');
  const [, name = 'alerts', arg, arg2] = path.split('/').map(decodeURIComponent);
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  view.dataset.view = name;
  try {
    if (name === 'sites' && arg) {
      title(t('title.sites'));
      const site = await siteView(view, arg, arg2);
      if (site) title(t('title.site', site.name));
    } else if (name === 'sites') {
      title(t('title.sites'));
      await sitesView(view);
    } else if (name === 'energy') {
      title(t('title.energy'));
      await energyView(view, arg, arg2);
    } else if (name === 'silences') {
      title(t('title.silences'));
      await silencesView(view, route);
    } else if (name === 'rules') {
      title(t('title.rules'));
      await rulesView(view);
    } else if (name === 'alerts' && arg) {
      title(t('title.alert', arg));
      await alertView(view, arg);
    } else {
      view.dataset.view = 'alerts';
      title(t('title.alerts'));
      leave = await alertsView(view, { search, onUnauthorized: () => signOut('signIn.expired') });
    }
    if (mine !== generation) leave?.();
  } catch (e) {
    if (e.status !== 401) view.append(message(errorText(e), 'error'));
  }
}

function applyLanguage() {
  $('lang-switch').textContent = t('lang.switch');
  $('lang-switch').dataset.lang = language();
  translate();
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = $('token').value.trim();
  const button = $('sign-in-submit');
  button.disabled = true;
  try {
    await api.check(token);
    storeToken(token);
    forgetWho();
    $('token').value = '';
    $('sign-in-error').hidden = true;
    if (location.hash) await route();
    else location.hash = '#/alerts'; // the hashchange routes
  } catch (e) {
    $('sign-in-error').hidden = false;
    $('sign-in-error').textContent = e.status === 0 ? t('signIn.unreachable')
      : e.status === 401 ? t('signIn.refused') : t('error.generic', e.status, e.message);
  } finally {
    button.disabled = false;
  }
});

// The skip link moves the focus to the content without touching the hash (which holds the route).
$('skip').addEventListener('click', (event) => {
  event.preventDefault();
  $('main').focus();
});
$('sign-out').addEventListener('click', () => signOut(null));
$('lang-switch').addEventListener('click', () => {
  setLanguage(LANGUAGES[(LANGUAGES.indexOf(language()) + 1) % LANGUAGES.length]);
  applyLanguage();
  if (storedToken()) route(); // alert summaries come from the server in the new language
});
whenUnauthorized(() => signOut('signIn.expired'));
window.addEventListener('hashchange', route);
// A page left for another keeps no stream open: the browser allows few connections per server,
// and a page kept in the back-forward cache would hold one. Coming back starts the view afresh.
window.addEventListener('pagehide', () => {
  leave?.();
  leave = null;
});
window.addEventListener('pageshow', (event) => {
  if (event.persisted) route();
});

setLanguage(language());
applyLanguage();
route();
