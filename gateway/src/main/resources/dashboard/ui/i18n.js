// Every string of the interface, in French and English, and the formats of numbers, dates, units
// and names. Alert summaries are not here: the API sends them in the language asked for with
// Accept-Language.
const STRINGS = {
  fr: {
    'lang.switch': 'English', 'nav.alerts': 'Alertes', 'nav.sites': 'Sites', 'nav.energy': 'Énergie',
    'nav.silences': 'Silences', 'nav.rules': 'Règles', signOut: 'Se déconnecter', skip: 'Aller au contenu',
    'who': 'Connecté : {0} ({1})',
    'role.admin': 'administrateur', 'role.building-manager': 'gestionnaire d’immeubles', 'role.energy-analyst': 'analyste énergie',
    'role.dpo': 'délégué à la protection des données',
    'signIn.title': 'Connexion', 'signIn.help': 'Collez votre jeton d’API. Il reste dans cet onglet et disparaît à sa fermeture.',
    'signIn.token': 'Jeton d’API', 'signIn.submit': 'Se connecter', 'signIn.refused': 'Jeton refusé : inconnu ou révoqué.',
    'signIn.expired': 'Votre jeton n’est plus accepté : reconnectez-vous.', 'signIn.unreachable': 'Le serveur ne répond pas.',
    'alerts.title': 'Alertes', 'alerts.open': 'Ouvertes', 'alerts.acknowledged': 'Prises en compte', 'alerts.resolved': 'Résolues',
    'alerts.active': 'Ouvertes ou prises en compte', 'alerts.all': 'Toutes',
    'alerts.none': 'Aucune alerte.', 'alerts.noneMatch': 'Aucune alerte ne correspond aux filtres.',
    'alerts.ack': 'Prendre en compte', 'alerts.resolve': 'Résoudre',
    'alerts.live': 'En direct', 'alerts.reconnecting': 'Reconnexion…',
    'alerts.firstSeen': 'depuis {0}', 'alerts.lastSeen': 'vue le {0}', 'alerts.occurrences': '{0} occurrence(s)',
    'alerts.ackBy': 'prise en compte par {0} le {1}', 'alerts.resolvedBy': 'résolue par {0} le {1}', 'alerts.ticket': 'ticket {0} ({1})',
    'alerts.forbidden': 'Votre rôle ne permet pas de modifier cette alerte.', 'alerts.conflict': 'Cette alerte est déjà résolue.',
    'alerts.state': 'État', 'alerts.site': 'Site', 'alerts.severity': 'Gravité', 'alerts.rule': 'Règle', 'alerts.since': 'Période',
    'alerts.search': 'Rechercher', 'alerts.searchHint': 'résumé, équipement, site, règle', 'alerts.any': 'Tous',
    'alerts.since.1d': '24 dernières heures', 'alerts.since.7d': '7 derniers jours', 'alerts.since.30d': '30 derniers jours',
    'alerts.since.all': 'Tout', 'alerts.counts': 'Effectifs', 'alerts.shown': '{0} affichée(s) sur {1}',
    'alerts.selectAll': 'Tout sélectionner', 'alerts.select': 'Sélectionner l’alerte {0}', 'alerts.selected': '{0} sélectionnée(s)',
    'alerts.ackSelected': 'Prendre en compte la sélection', 'alerts.resolveSelected': 'Résoudre la sélection',
    'alerts.note': 'Note de résolution', 'alerts.bulkDone': '{0} alerte(s) modifiée(s), {1} refusée(s).',
    'alerts.details': 'Détail', 'alerts.readOnly': 'Lecture seule : votre rôle ne permet pas d’agir sur les alertes.',
    'alert.title': 'Alerte {0}', 'alert.unknown': 'Alerte inconnue ou non visible avec ce jeton.',
    'alert.summary': 'Résumé', 'alert.rule': 'Règle', 'alert.explanation': 'Explication', 'alert.readings': 'Relevés autour de l’alerte',
    'alert.transitions': 'Historique', 'alert.ticket': 'Ticket', 'alert.noTicket': 'Aucun ticket.', 'alert.actions': 'Actions',
    'alert.opened': 'Ouverte', 'alert.lastSeen': 'Dernière observation', 'alert.acknowledged': 'Prise en compte par {0}',
    'alert.resolved': 'Résolue par {0}', 'alert.resolution': 'Résolution : {0}', 'alert.note': 'Note : {0}',
    'alert.window': 'Condition observée du {0} au {1}', 'alert.threshold': 'seuil', 'alert.back': 'Retour aux alertes',
    'alert.flaps': '{0} bascule(s)', 'alert.urgency': 'Urgence', 'alert.category': 'Catégorie',
    'urgency.immediate': 'immédiate', 'urgency.within-days': 'sous quelques jours', 'urgency.planned': 'planifiée',
    'figure.value': 'valeur', 'figure.threshold': 'seuil', 'figure.outdoor': 'extérieur', 'figure.duration_minutes': 'durée (min)',
    'figure.baseline': 'référence', 'figure.min': 'minimum', 'figure.max': 'maximum', 'figure.limit': 'limite', 'figure.ratio': 'rapport',
    'figure.return': 'retour', 'figure.since': 'depuis',
    'severity.critical': 'critique', 'severity.major': 'majeure', 'severity.warning': 'avertissement', 'severity.info': 'information',
    'sites.title': 'Sites', 'sites.none': 'Aucun site visible avec ce jeton.', 'site.unknown': 'Site inconnu ou non visible avec ce jeton.',
    'sites.name': 'Site', 'sites.open': 'Alertes actives', 'sites.lastReading': 'Dernier relevé', 'sites.silent': 'Points muets (> 1 h)',
    'sites.equipment': 'Équipements', 'table.sortBy': 'Trier par {0}', 'sites.never': 'jamais',
    'site.equipment': 'Équipements', 'site.type': 'Type', 'site.points': 'Points', 'site.current': 'Valeurs actuelles',
    'site.point': 'Point', 'site.value': 'Valeur', 'site.at': 'Relevée le', 'site.charts': 'Courbes',
    'site.latestMissing': 'Les valeurs actuelles ne sont pas disponibles sur cette passerelle.',
    'site.noData': 'Pas de données sur la période.', 'site.raw': 'Agrégats indisponibles sur cette passerelle : valeurs brutes affichées.',
    'site.truncated': 'Période tronquée : trop de valeurs brutes.', 'site.timeZone': 'Heures du site ({0}).',
    'range.day': '24 heures', 'range.week': '7 jours', 'range.month': '30 jours',
    'chart.time': 'Heure', 'chart.table': 'Tableau des valeurs', 'chart.csv': 'Exporter en CSV',
    'chart.alt': '{0} : {1} valeur(s) du {2} au {3}, de {4} à {5}', 'chart.altEmpty': '{0} : aucune valeur',
    'chart.on': 'marche', 'chart.off': 'arrêt', 'chart.alerts': 'Alertes',
    'energy.title': 'Énergie', 'energy.consumption': 'Consommation par site', 'energy.heating': 'Chauffage rapporté aux DJU (base {0} °C)',
    'energy.site': 'Site', 'energy.total': 'Total', 'energy.previous': 'Période précédente', 'energy.change': 'Évolution',
    'energy.dju': 'DJU', 'energy.perDju': 'Par DJU',
    'energy.category': 'Catégorie', 'energy.period': 'Période', 'energy.cat.energy': 'Électricité', 'energy.cat.heat': 'Chaleur',
    'energy.cat.water': 'Eau', 'energy.last30': '30 derniers jours (par jour)', 'energy.last12': '12 derniers mois (par mois)',
    'energy.missing': 'Les consommations ne sont pas disponibles sur cette passerelle.', 'energy.none': 'Aucune consommation sur la période.',
    'energy.csv': 'Exporter en CSV',
    'energy.comparison': 'Comparaison des sites', 'energy.share': 'Part', 'energy.noMeter': 'aucun compteur',
    'energy.csvComparison': 'Exporter la comparaison en CSV', 'energy.overTime': 'Au fil de la période',
    'silences.title': 'Silences', 'silences.none': 'Aucun silence en cours.', 'silences.new': 'Nouveau silence',
    'silences.equipment': 'Équipement', 'silences.rule': 'Règle', 'silences.from': 'Du', 'silences.until': 'Jusqu’au',
    'silences.by': 'Par', 'silences.reason': 'Motif', 'silences.end': 'Terminer', 'silences.create': 'Créer le silence',
    'silences.all': 'Tous', 'silences.for': 'Durée', 'silences.created': 'Silence créé.',
    'silences.dur.1h': '1 heure', 'silences.dur.4h': '4 heures', 'silences.dur.1d': '1 jour', 'silences.dur.7d': '7 jours',
    'rules.title': 'Règles', 'rules.source': 'Source : {0}', 'rules.id': 'Règle', 'rules.appliesTo': 'S’applique à',
    'rules.for': 'Durée', 'rules.description': 'Description',
    'error.generic': 'Erreur {0} : {1}', 'error.network': 'Le serveur ne répond pas.', 'loading': 'Chargement…',
    'type.boiler': 'Chaudière', 'type.substation': 'Sous-station', 'type.hot-water': 'Eau chaude sanitaire', 'type.lift': 'Ascenseur',
    'type.ventilation': 'Ventilation (VMC)', 'type.water-meter': 'Compteur d’eau', 'type.electricity-meter': 'Compteur électrique',
    'type.people-counter': 'Compteur de passages', 'type.climate': 'Ambiance', 'type.weather': 'Météo', 'type.heat-meter': 'Compteur de chaleur',
    'point.supply_temp': 'Température de départ', 'point.return_temp': 'Température de retour', 'point.outdoor_temp': 'Température extérieure',
    'point.burner_on': 'Brûleur en marche', 'point.pressure': 'Pression', 'point.storage_temp': 'Température du ballon',
    'point.loop_return_temp': 'Température retour de boucle', 'point.in_service': 'En service', 'point.door_cycles': 'Cycles de porte',
    'point.trips': 'Trajets', 'point.fault_code': 'Code défaut', 'point.fan_on': 'Ventilateur en marche', 'point.pressure_drop': 'Perte de charge',
    'point.volume': 'Index volume', 'point.flow': 'Débit', 'point.energy': 'Index énergie', 'point.power': 'Puissance',
    'point.count': 'Passages', 'point.temperature': 'Température', 'point.humidity': 'Humidité', 'point.co2': 'CO₂',
    'unit.count': 'nombre', 'unit.onoff': 'marche/arrêt',
    'title.alerts': 'Alertes', 'title.alert': 'Alerte {0}', 'title.sites': 'Sites', 'title.site': '{0}', 'title.energy': 'Énergie',
    'title.silences': 'Silences', 'title.rules': 'Règles', 'title.signIn': 'Connexion',
    'pair': '{0} : {1}', 'cat.heating': 'chauffage', 'cat.hot-water': 'eau chaude', 'cat.lift': 'ascenseur', 'cat.ventilation': 'ventilation',
    'cat.water': 'eau', 'cat.energy': 'énergie', 'cat.climate': 'ambiance', 'cat.sensor': 'capteur',
  },
  en: {
    'lang.switch': 'Français', 'nav.alerts': 'Alerts', 'nav.sites': 'Sites', 'nav.energy': 'Energy',
    'nav.silences': 'Silences', 'nav.rules': 'Rules', signOut: 'Sign out', skip: 'Skip to content',
    'who': 'Signed in: {0} ({1})',
    'role.admin': 'administrator', 'role.building-manager': 'building manager', 'role.energy-analyst': 'energy analyst',
    'role.dpo': 'data-protection officer',
    'signIn.title': 'Sign in', 'signIn.help': 'Paste your API token. It stays in this tab and is forgotten when the tab closes.',
    'signIn.token': 'API token', 'signIn.submit': 'Sign in', 'signIn.refused': 'Token refused: unknown or revoked.',
    'signIn.expired': 'Your token is no longer accepted: please sign in again.', 'signIn.unreachable': 'The server does not answer.',
    'alerts.title': 'Alerts', 'alerts.open': 'Open', 'alerts.acknowledged': 'Acknowledged', 'alerts.resolved': 'Resolved',
    'alerts.active': 'Open or acknowledged', 'alerts.all': 'All',
    'alerts.none': 'No alerts.', 'alerts.noneMatch': 'No alert matches the filters.',
    'alerts.ack': 'Acknowledge', 'alerts.resolve': 'Resolve',
    'alerts.live': 'Live', 'alerts.reconnecting': 'Reconnecting…',
    'alerts.firstSeen': 'since {0}', 'alerts.lastSeen': 'last seen {0}', 'alerts.occurrences': '{0} occurrence(s)',
    'alerts.ackBy': 'acknowledged by {0} on {1}', 'alerts.resolvedBy': 'resolved by {0} on {1}', 'alerts.ticket': 'ticket {0} ({1})',
    'alerts.forbidden': 'Your role may not change this alert.', 'alerts.conflict': 'This alert is already resolved.',
    'alerts.state': 'State', 'alerts.site': 'Site', 'alerts.severity': 'Severity', 'alerts.rule': 'Rule', 'alerts.since': 'Period',
    'alerts.search': 'Search', 'alerts.searchHint': 'summary, equipment, site, rule', 'alerts.any': 'All',
    'alerts.since.1d': 'Last 24 hours', 'alerts.since.7d': 'Last 7 days', 'alerts.since.30d': 'Last 30 days',
    'alerts.since.all': 'Any time', 'alerts.counts': 'Counts', 'alerts.shown': '{0} shown of {1}',
    'alerts.selectAll': 'Select all', 'alerts.select': 'Select alert {0}', 'alerts.selected': '{0} selected',
    'alerts.ackSelected': 'Acknowledge selected', 'alerts.resolveSelected': 'Resolve selected',
    'alerts.note': 'Resolution note', 'alerts.bulkDone': '{0} alert(s) changed, {1} refused.',
    'alerts.details': 'Details', 'alerts.readOnly': 'Read only: your role may not act on alerts.',
    'alert.title': 'Alert {0}', 'alert.unknown': 'Unknown alert, or not visible with this token.',
    'alert.summary': 'Summary', 'alert.rule': 'Rule', 'alert.explanation': 'Explanation', 'alert.readings': 'Readings around the alert',
    'alert.transitions': 'History', 'alert.ticket': 'Ticket', 'alert.noTicket': 'No ticket.', 'alert.actions': 'Actions',
    'alert.opened': 'Opened', 'alert.lastSeen': 'Last seen', 'alert.acknowledged': 'Acknowledged by {0}',
    'alert.resolved': 'Resolved by {0}', 'alert.resolution': 'Resolution: {0}', 'alert.note': 'Note: {0}',
    'alert.window': 'Condition observed from {0} to {1}', 'alert.threshold': 'threshold', 'alert.back': 'Back to the alerts',
    'alert.flaps': '{0} flap(s)', 'alert.urgency': 'Urgency', 'alert.category': 'Category',
    'urgency.immediate': 'immediate', 'urgency.within-days': 'within days', 'urgency.planned': 'planned',
    'figure.value': 'value', 'figure.threshold': 'threshold', 'figure.outdoor': 'outdoor', 'figure.duration_minutes': 'duration (min)',
    'figure.baseline': 'baseline', 'figure.min': 'minimum', 'figure.max': 'maximum', 'figure.limit': 'limit', 'figure.ratio': 'ratio',
    'figure.return': 'return', 'figure.since': 'since',
    'severity.critical': 'critical', 'severity.major': 'major', 'severity.warning': 'warning', 'severity.info': 'info',
    'sites.title': 'Sites', 'sites.none': 'No site is visible with this token.', 'site.unknown': 'Unknown site, or not visible with this token.',
    'sites.name': 'Site', 'sites.open': 'Active alerts', 'sites.lastReading': 'Last reading', 'sites.silent': 'Silent points (> 1 h)',
    'sites.equipment': 'Equipment', 'table.sortBy': 'Sort by {0}', 'sites.never': 'never',
    'site.equipment': 'Equipment', 'site.type': 'Type', 'site.points': 'Points', 'site.current': 'Current values',
    'site.point': 'Point', 'site.value': 'Value', 'site.at': 'Read at', 'site.charts': 'Charts',
    'site.latestMissing': 'Current values are not available on this gateway.',
    'site.noData': 'No data over the period.', 'site.raw': 'Aggregates are not available on this gateway: raw values shown.',
    'site.truncated': 'Period truncated: too many raw values.', 'site.timeZone': 'Times of the site ({0}).',
    'range.day': '24 hours', 'range.week': '7 days', 'range.month': '30 days',
    'chart.time': 'Time', 'chart.table': 'Table of values', 'chart.csv': 'Export as CSV',
    'chart.alt': '{0}: {1} value(s) from {2} to {3}, ranging from {4} to {5}', 'chart.altEmpty': '{0}: no values',
    'chart.on': 'on', 'chart.off': 'off', 'chart.alerts': 'Alerts',
    'energy.title': 'Energy', 'energy.consumption': 'Consumption per site', 'energy.heating': 'Heating per degree-day (base {0} °C)',
    'energy.site': 'Site', 'energy.total': 'Total', 'energy.previous': 'Previous period', 'energy.change': 'Change',
    'energy.dju': 'Degree-days', 'energy.perDju': 'Per degree-day',
    'energy.category': 'Category', 'energy.period': 'Period', 'energy.cat.energy': 'Electricity', 'energy.cat.heat': 'Heat',
    'energy.cat.water': 'Water', 'energy.last30': 'Last 30 days (daily)', 'energy.last12': 'Last 12 months (monthly)',
    'energy.missing': 'Consumption figures are not available on this gateway.', 'energy.none': 'No consumption over the period.',
    'energy.csv': 'Export as CSV',
    'energy.comparison': 'Sites compared', 'energy.share': 'Share', 'energy.noMeter': 'no meter',
    'energy.csvComparison': 'Export the comparison as CSV', 'energy.overTime': 'Over the period',
    'silences.title': 'Silences', 'silences.none': 'No silence in force.', 'silences.new': 'New silence',
    'silences.equipment': 'Equipment', 'silences.rule': 'Rule', 'silences.from': 'From', 'silences.until': 'Until',
    'silences.by': 'By', 'silences.reason': 'Reason', 'silences.end': 'End', 'silences.create': 'Create the silence',
    'silences.all': 'All', 'silences.for': 'Duration', 'silences.created': 'Silence created.',
    'silences.dur.1h': '1 hour', 'silences.dur.4h': '4 hours', 'silences.dur.1d': '1 day', 'silences.dur.7d': '7 days',
    'rules.title': 'Rules', 'rules.source': 'Source: {0}', 'rules.id': 'Rule', 'rules.appliesTo': 'Applies to',
    'rules.for': 'Duration', 'rules.description': 'Description',
    'error.generic': 'Error {0}: {1}', 'error.network': 'The server does not answer.', 'loading': 'Loading…',
    'type.boiler': 'Boiler', 'type.substation': 'Substation', 'type.hot-water': 'Domestic hot water', 'type.lift': 'Lift',
    'type.ventilation': 'Ventilation', 'type.water-meter': 'Water meter', 'type.electricity-meter': 'Electricity meter',
    'type.people-counter': 'People counter', 'type.climate': 'Indoor climate', 'type.weather': 'Weather', 'type.heat-meter': 'Heat meter',
    'point.supply_temp': 'Supply temperature', 'point.return_temp': 'Return temperature', 'point.outdoor_temp': 'Outdoor temperature',
    'point.burner_on': 'Burner on', 'point.pressure': 'Pressure', 'point.storage_temp': 'Storage temperature',
    'point.loop_return_temp': 'Loop return temperature', 'point.in_service': 'In service', 'point.door_cycles': 'Door cycles',
    'point.trips': 'Trips', 'point.fault_code': 'Fault code', 'point.fan_on': 'Fan on', 'point.pressure_drop': 'Pressure drop',
    'point.volume': 'Volume index', 'point.flow': 'Flow', 'point.energy': 'Energy index', 'point.power': 'Power',
    'point.count': 'Passages', 'point.temperature': 'Temperature', 'point.humidity': 'Humidity', 'point.co2': 'CO₂',
    'unit.count': 'count', 'unit.onoff': 'on/off',
    'title.alerts': 'Alerts', 'title.alert': 'Alert {0}', 'title.sites': 'Sites', 'title.site': '{0}', 'title.energy': 'Energy',
    'title.silences': 'Silences', 'title.rules': 'Rules', 'title.signIn': 'Sign in',
    'pair': '{0}: {1}', 'cat.heating': 'heating', 'cat.hot-water': 'hot water', 'cat.lift': 'lift', 'cat.ventilation': 'ventilation',
    'cat.water': 'water', 'cat.energy': 'energy', 'cat.climate': 'indoor climate', 'cat.sensor': 'sensor',
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

/** The BCP 47 locale of the formats: French of France, English of the United Kingdom (24-hour clock). */
export function locale() { return current === 'fr' ? 'fr-FR' : 'en-GB'; }

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

/** True when the current language has a string for {@code key}. */
export function has(key) { return key in STRINGS[current]; }

/** Fills every element with a data-i18n attribute under {@code root}. */
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

/**
 * A date and time in the current language, in the given IANA zone (the browser's when absent),
 * with the zone named ("06/12/2026 08:15 UTC+1"), so that two pages never show one moment two
 * ways without saying so.
 */
export function formatTime(iso, timeZone) {
  if (iso === null || iso === undefined || iso === '') return '';
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
    minute: '2-digit', timeZone, timeZoneName: 'short' }).format(new Date(iso));
}

/** The zone's name as people read it, e.g. "Europe/Paris, UTC+1". */
export function zoneName(timeZone) {
  const part = new Intl.DateTimeFormat(locale(), { timeZone, timeZoneName: 'short' }).formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName');
  return `${timeZone}${part ? ', ' + part.value : ''}`;
}

/**
 * A number in the current language: {@code digits} decimals at most, but small values keep three
 * significant digits (0.004 m³ is not "0").
 */
export function formatNumber(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const abs = Math.abs(value);
  const options = abs > 0 && abs < 1 ? { maximumSignificantDigits: 3 } : { maximumFractionDigits: digits };
  return new Intl.NumberFormat(locale(), options).format(value);
}

const UNITS = { Cel: '°C', m3: 'm³', 'm3/h': 'm³/h', '%RH': '%', '/': '', count: '', degF: '°F', l: 'L', 'l/h': 'L/h' };

/** A SenML unit as people read it: Cel → °C, m3 → m³; dimensionless ("/", count) → empty. */
export function unitLabel(unit) {
  return unit in UNITS ? UNITS[unit] : (unit ?? '');
}

/** A value with its unit as people read it ("71,5 °C", "0,004 m³"). */
export function withUnit(value, unit, digits) {
  const u = unitLabel(unit);
  return u ? `${formatNumber(value, digits)} ${u}` : formatNumber(value, digits);
}

/** An equipment type in the current language (the type itself when unknown). */
export function typeName(type) {
  return has('type.' + type) ? t('type.' + type) : type;
}

/**
 * An equipment as people name it: the portfolio's name with its translated type ("Chaufferie
 * (Chaudière)"), else the translated type and its id ("Chaudière boiler-1").
 */
export function equipmentName(e) {
  return e.name ? `${e.name} (${typeName(e.type)})` : `${typeName(e.type)} ${e.id}`;
}

/**
 * A point as people name it: the portfolio's label when {@code point} is a point that has one,
 * else its name in the current language (the name itself when unknown).
 */
export function pointName(point) {
  if (typeof point === 'object' && point !== null) return point.label || pointName(point.name);
  return has('point.' + point) ? t('point.' + point) : point;
}
