// Flags messages that are not a keyword but plainly ask to stop (SPEC 2): they change
// nothing and go to the review queue. Phrase patterns, not single words, keep it
// conservative: "stop by the store tomorrow?" or "when does the sale end?" must not
// trip it.
//
// Known limits: patterns are per language and literal, so paraphrases outside them
// are missed ("I'd rather not hear from you"); negations around a phrase are only
// handled for "don't/never stop ..." in English; sarcasm and quoting are not
// understood. A false positive costs one review-queue item, a miss costs a person
// who asked to stop, so borderline phrasings (e.g. "how do I unsubscribe") match.

export type StopRequestLanguage = 'en' | 'pl' | 'es' | 'fr' | 'pt' | 'de';

export type StopRequestResult = {
  likelyStopRequest: boolean;
  // The phrase that matched, in folded form (lower case, no accents).
  matched?: string;
  language?: StopRequestLanguage;
};

type Pattern = { language: StopRequestLanguage; regex: RegExp };

// Patterns run on folded text: lower case, accents removed, "ł" → "l", apostrophes
// and other punctuation replaced by spaces, runs of spaces collapsed.
const CONTACT_VERBS = '(?:messag|text|contact|email|spamm|writ|whatsapp|call|send|bother)(?:ing|e)?';
const OBJECT = '(?:me|us|this number|my number)';
const PATTERNS: readonly Pattern[] = [
  { language: 'en', regex: new RegExp(`\\bstop (?:${CONTACT_VERBS}) ${OBJECT}\\b`) },
  { language: 'en', regex: new RegExp(`\\bstop (?:sending|receiving|getting) (?:me )?(?:these|this|your|the|any|messages|texts|promotions|marketing|ads|offers)\\b`) },
  { language: 'en', regex: new RegExp(`\\b(?:don t|dont|do not|never|no longer) (?:${CONTACT_VERBS}) ${OBJECT}\\b`) },
  { language: 'en', regex: new RegExp(`\\b(?:don t|dont|do not) (?:send|text|message) (?:me )?(?:anything|any more|anymore|messages|texts)\\b`) },
  { language: 'en', regex: /\bunsubscribe (?:me|us|this number|my number)\b/ },
  { language: 'en', regex: /\b(?:i want|i d like|i would like|i wish|how do i|how can i|let me|please) (?:to )?(?:unsubscribe|opt out|be removed)\b/ },
  { language: 'en', regex: /\b(?:remove|delete|take) (?:me|my number|this number) (?:off|from) (?:your |the |this |all )?(?:list|lists|mailing list|contacts|database|whatsapp)\b/ },
  { language: 'en', regex: /\bopt me out\b/ },
  { language: 'en', regex: /\bno more (?:messages|texts|promotions|marketing|spam|ads|offers)\b/ },
  { language: 'en', regex: /\b(?:i don t|i dont|i do not) want (?:any |to receive |to get )?(?:more |any more )?(?:messages|texts|promotions|marketing|these)\b/ },
  { language: 'en', regex: /\bleave me alone\b/ },
  { language: 'pl', regex: /\bnie (?:piszcie|pisz|piszesz|piszecie|wysylajcie|wysylaj|kontaktujcie sie|dzwoncie) (?:do mnie|mi|wiecej|juz)\b/ },
  { language: 'pl', regex: /\b(?:prosze o|chce|chcialbym|chcialabym) (?:wypisanie|wypisac sie|usuniecie|rezygnacje)\b/ },
  { language: 'pl', regex: /\bwypisz(?:cie)? mnie\b/ },
  { language: 'pl', regex: /\busun(?:cie)? (?:mnie|moj numer) z\b/ },
  { language: 'pl', regex: /\bprzestan(?:cie)? (?:do mnie )?(?:pisac|wysylac|dzwonic|spamowac)\b/ },
  { language: 'pl', regex: /\bnie chce (?:juz )?(?:wiecej )?(?:dostawac |otrzymywac )?(?:wiadomosci|smsow|sms|powiadomien|reklam|ofert)\b/ },
  { language: 'pl', regex: /\brezygnuje z (?:subskrypcji|wiadomosci|powiadomien|newslettera|zgody)\b/ },
  { language: 'es', regex: /\bno me (?:escribas|escriban|envies|envien|mandes|manden|contactes|contacten|llames|llamen)\b/ },
  { language: 'es', regex: /\bdej(?:a|en|e) de (?:escribirme|enviarme|mandarme|contactarme|llamarme)\b/ },
  { language: 'es', regex: /\b(?:dame|denme|darme|deme) de baja\b/ },
  { language: 'es', regex: /\bno quiero (?:recibir )?(?:mas )?(?:mensajes|promociones|publicidad)\b/ },
  { language: 'fr', regex: /\barretez de m (?:ecrire|envoyer|contacter|appeler)\b/ },
  { language: 'fr', regex: /\bne m (?:ecrivez|envoyez|contactez|appelez) plus\b/ },
  { language: 'fr', regex: /\b(?:desabonnez|desinscrivez|retirez|supprimez) moi\b/ },
  { language: 'fr', regex: /\bje (?:veux|voudrais|souhaite) (?:me desabonner|me desinscrire|etre retire)\b/ },
  { language: 'fr', regex: /\bje ne veux plus (?:recevoir|de messages|de vos messages)\b/ },
  { language: 'pt', regex: /\bpar[ae]m? de (?:me )?(?:enviar|mandar|escrever|contactar|ligar)\b/ },
  { language: 'pt', regex: /\bnao (?:me )?(?:enviem|mandem|envie|mande|escrevam|escreva) mais\b/ },
  { language: 'pt', regex: /\b(?:me descadastre|me descadastrem|descadastre me|descadastrem me)\b/ },
  { language: 'pt', regex: /\b(?:me )?(?:remova|removam|tire|tirem) (?:me |meu numero )?da (?:sua |vossa )?lista\b/ },
  { language: 'pt', regex: /\bquero (?:me )?(?:descadastrar|sair da lista|cancelar a inscricao)\b/ },
  { language: 'pt', regex: /\bnao quero (?:mais )?(?:receber|mensagens)\b/ },
  { language: 'de', regex: /\b(?:hort|horen sie|hor) auf (?:mir )?(?:zu )?(?:schreiben|schicken|nachrichten)\b/ },
  { language: 'de', regex: /\b(?:schreib|schreibt|schreiben sie|schickt|schicken sie|kontaktieren sie) mir (?:nicht mehr|keine)\b/ },
  { language: 'de', regex: /\bkeine (?:nachrichten|werbung|whatsapps?) mehr\b/ },
  { language: 'de', regex: /\b(?:melde|meldet|melden sie) mich ab\b/ },
  { language: 'de', regex: /\b(?:tragt|tragen sie|trag) mich aus\b/ },
  { language: 'de', regex: /\bich (?:will|mochte|moechte) (?:mich abmelden|keine nachrichten)\b/ },
];

// "please don't stop messaging me" is the opposite of a stop request.
const NEGATED_STOP = /\b(?:don t|dont|do not|never|please don t) stop\b/;

export function foldForPhrases(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ł/g, 'l')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function detectStopRequest(message: string): StopRequestResult {
  const folded = foldForPhrases(message);
  if (folded.length === 0) return { likelyStopRequest: false };
  for (const { language, regex } of PATTERNS) {
    const found = regex.exec(folded);
    if (!found) continue;
    if (language === 'en' && found[0].startsWith('stop') && NEGATED_STOP.test(folded)) continue;
    return { likelyStopRequest: true, matched: found[0], language };
  }
  return { likelyStopRequest: false };
}
