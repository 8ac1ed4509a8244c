// Every string of the interface, in French and English. Alert summaries are not here: the API
// sends them in the language asked for with Accept-Language.
const STRINGS = {
  fr: {
    'lang.switch': 'English', 'nav.alerts': 'Alertes', 'nav.sites': 'Sites', 'nav.energy': 'Énergie',
    signOut: 'Se déconnecter',
    'signIn.title': 'Connexion', 'signIn.help': 'Collez votre jeton d’API. Il reste dans cet onglet et disparaît à sa fermeture.',
    'signIn.token': 'Jeton d’API', 'signIn.submit': 'Se connecter', 'signIn.refused': 'Jeton refusé : inconnu ou révoqué.',
    'signIn.expired': 'Votre jeton n’est plus accepté : reconnectez-vous.', 'signIn.unreachable': 'Le serveur ne répond pas.',
    'alerts.title': 'Alertes', 'alerts.open': 'Ouvertes', 'alerts.acknowledged': 'Prises en compte', 'alerts.resolved': 'Résolues',
    'alerts.none': 'Aucune alerte.', 'alerts.ack': 'Prendre en compte', 'alerts.resolve': 'Résoudre',
    'alerts.live': 'En direct', 'alerts.reconnecting': 'Reconnexion…',
    'alerts.firstSeen': 'depuis {0}', 'alerts.lastSeen': 'vue le {0}', 'alerts.occurrences': '{0} occurrence(s)',
    'alerts.ackBy': 'prise en compte par {0} le {1}', 'alerts.resolvedBy': 'résolue par {0} le {1}', 'alerts.ticket': 'ticket {0} ({1})',
    'alerts.forbidden': 'Votre rôle ne permet pas de modifier cette alerte.', 'alerts.conflict': 'Cette alerte est déjà résolue.',
    'severity.critical': 'critique', 'severity.major': 'majeure', 'severity.warning': 'avertissement', 'severity.info': 'information',
    'sites.title': 'Sites', 'sites.none': 'Aucun site visible avec ce jeton.', 'site.unknown': 'Site inconnu ou non visible avec ce jeton.',
    'site.equipment': 'Équipements', 'site.type': 'Type', 'site.points': 'Points', 'site.current': 'Valeurs actuelles',
    'site.point': 'Point', 'site.value': 'Valeur', 'site.at': 'Relevée le', 'site.charts': 'Courbes',
    'site.latestMissing': 'Les valeurs actuelles ne sont pas disponibles sur cette passerelle.',
    'site.noData': 'Pas de données sur la période.', 'site.raw': 'Agrégats indisponibles sur cette passerelle : valeurs brutes affichées.',
    'site.truncated': 'Période tronquée : trop de valeurs brutes.',
    'range.day': 'Jour', 'range.week': 'Semaine', 'range.month': 'Mois',
    'energy.title': 'Énergie', 'energy.consumption': 'Consommation par site', 'energy.heating': 'Chauffage rapporté aux DJU (base {0} °C)',
    'energy.site': 'Site', 'energy.total': 'Total', 'energy.dju': 'DJU', 'energy.perDju': 'Par DJU',
    'energy.category': 'Catégorie', 'energy.period': 'Période', 'energy.cat.energy': 'Électricité', 'energy.cat.heat': 'Chaleur',
    'energy.cat.water': 'Eau', 'energy.last30': '30 derniers jours (par jour)', 'energy.last12': '12 derniers mois (par mois)',
    'energy.missing': 'Les consommations ne sont pas disponibles sur cette passerelle.', 'energy.none': 'Aucune consommation sur la période.',
    'error.generic': 'Erreur {0} : {1}', 'error.network': 'Le serveur ne répond pas.', 'loading': 'Chargement…',
  },
  en: {
    'lang.switch': 'Français', 'nav.alerts': 'Alerts', 'nav.sites': 'Sites', 'nav.energy': 'Energy',
    signOut: 'Sign out',
    'signIn.title': 'Sign in', 'signIn.help': 'Paste your API token. It stays in this tab and is forgotten when the tab closes.',
    'signIn.token': 'API token', 'signIn.submit': 'Sign in', 'signIn.refused': 'Token refused: unknown or revoked.',
    'signIn.expired': 'Your token is no longer accepted: please sign in again.', 'signIn.unreachable': 'The server does not answer.',
    'alerts.title': 'Alerts', 'alerts.open': 'Open', 'alerts.acknowledged': 'Acknowledged', 'alerts.resolved': 'Resolved',
    'alerts.none': 'No alerts.', 'alerts.ack': 'Acknowledge', 'alerts.resolve': 'Resolve',
    'alerts.live': 'Live', 'alerts.reconnecting': 'Reconnecting…',
    'alerts.firstSeen': 'since {0}', 'alerts.lastSeen': 'last seen {0}', 'alerts.occurrences': '{0} occurrence(s)',
    'alerts.ackBy': 'acknowledged by {0} on {1}', 'alerts.resolvedBy': 'resolved by {0} on {1}', 'alerts.ticket': 'ticket {0} ({1})',
    'alerts.forbidden': 'Your role may not change this alert.', 'alerts.conflict': 'This alert is already resolved.',
    'severity.critical': 'critical', 'severity.major': 'major', 'severity.warning': 'warning', 'severity.info': 'info',
    'sites.title': 'Sites', 'sites.none': 'No site is visible with this token.', 'site.unknown': 'Unknown site, or not visible with this token.',
    'site.equipment': 'Equipment', 'site.type': 'Type', 'site.points': 'Points', 'site.current': 'Current values',
    'site.point': 'Point', 'site.value': 'Value', 'site.at': 'Read at', 'site.charts': 'Charts',
    'site.latestMissing': 'Current values are not available on this gateway.',
    'site.noData': 'No data over the period.', 'site.raw': 'Aggregates are not available on this gateway: raw values shown.',
    'site.truncated': 'Period truncated: too many raw values.',
    'range.day': 'Day', 'range.week': 'Week', 'range.month': 'Month',
    'energy.title': 'Energy', 'energy.consumption': 'Consumption per site', 'energy.heating': 'Heating per degree-day (base {0} °C)',
    'energy.site': 'Site', 'energy.total': 'Total', 'energy.dju': 'Degree-days', 'energy.perDju': 'Per degree-day',
    'energy.category': 'Category', 'energy.period': 'Period', 'energy.cat.energy': 'Electricity', 'energy.cat.heat': 'Heat',
    'energy.cat.water': 'Water', 'energy.last30': 'Last 30 days (daily)', 'energy.last12': 'Last 12 months (monthly)',
    'energy.missing': 'Consumption figures are not available on this gateway.', 'energy.none': 'No consumption over the period.',
    'error.generic': 'Error {0}: {1}', 'error.network': 'The server does not answer.', 'loading': 'Loading…',
  },
};

export const LANGUAGES = Object.keys(STRINGS);
const KEY = 'gardien.lang';

/** The language chosen with the switch, else the browser's (French unless it prefers English or another). */
export function initialLanguage() {
  const chosen = localStorage.getItem(KEY);
  if (chosen && STRINGS[chosen]) return chosen;
  const browser = (navigator.language || 'fr').toLowerCase();
  return browser.startsWith('fr') ? 'fr' : 'en';
}

let current = initialLanguage();

export function language() { return current; }

export function setLanguage(lang) {
  if (!STRINGS[lang]) throw new Error('unknown language ' + lang);
  current = lang;
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
}

/** The string of {@code key} in the current language, with {0}, {1}… replaced by {@code args}. */
export function t(key, ...args) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

/** Fills every element with a data-i18n attribute under {@code root}. */
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

/** A date and time in the current language, in the given IANA zone (the browser's when absent). */
export function formatTime(iso, timeZone) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(current === 'fr' ? 'fr-FR' : 'en-GB',
    { dateStyle: 'short', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function formatNumber(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return new Intl.NumberFormat(current === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits }).format(value);
}
