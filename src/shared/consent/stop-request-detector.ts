// Flags messages that are not a keyword but ask to stop (SPEC 2): they change nothing
// and go to the review queue. Languages: those of the keyword table (en, es, fr, pt,
// de, ja) and Polish, the app's own language.
//
// Decision: a false review item costs a person a few seconds, a missed stop request
// costs a person who asked to stop, so patterns lean wide ("how do I unsubscribe",
// "I want to cancel my subscription" match). The only things held back are mentions
// that plainly are not requests (HARMLESS_MENTIONS below: "don't stop", "stop by the
// shop", "the bus stop", "cancel my order"); they are removed before the opt-out
// keyword search of the text rule, so "Don't stop. STOP" still reaches review.
//
// Known limits: patterns are per language and literal, so paraphrases outside them
// are missed unless they contain an opt-out keyword; sarcasm and quoting are not
// understood.
import { foldForPhrases } from './keyword-normalise';

export type StopRequestLanguage = 'en' | 'pl' | 'es' | 'fr' | 'pt' | 'de' | 'ja';

export type StopRequestResult = {
  likelyStopRequest: boolean;
  // The phrase that matched, in folded form (lower case, no accents).
  matched?: string;
  language?: StopRequestLanguage;
};

type Pattern = { language: StopRequestLanguage; regex: RegExp };

// Patterns run on foldForPhrases() text: lower case, accents removed, "ł" → "l",
// punctuation and symbols replaced by spaces, runs of spaces collapsed.
const CONTACT_VERBS = '(?:messag|text|contact|email|spamm|writ|whatsapp|call|send|bother|ping)(?:ing|e)?';
const OBJECT = '(?:me|us|this number|my number)';
const THINGS = '(?:messages?|texts?|promotions?|marketing|ads|adverts?|offers?|spam|notifications?|newsletters?|whatsapps?|updates|msgs?)';
const PATTERNS: readonly Pattern[] = [
  { language: 'en', regex: new RegExp(`\\bstop (?:${CONTACT_VERBS}) ${OBJECT}\\b`) },
  { language: 'en', regex: new RegExp(`\\bstop (?:sending|receiving|getting|spamming)(?: me| us)?(?: (?:these|this|your|the|any|all|them|it|${THINGS}))?\\b`) },
  { language: 'en', regex: new RegExp(`\\bstop (?:the|these|this|your|all|any|ur) (?:${THINGS})\\b`) },
  { language: 'en', regex: new RegExp(`\\b(?:don t|dont|do not|never|no longer) (?:ever )?(?:${CONTACT_VERBS}) ${OBJECT}\\b`) },
  { language: 'en', regex: /\b(?:don t|dont|do not) (?:send|text|message) (?:me )?(?:anything|any more|anymore|messages|texts)\b/ },
  { language: 'en', regex: /\b(?:unsubscribe|unsub|unsuscribe|unsubcribe|unsubscibe) (?:me|us|this number|my number)\b/ },
  { language: 'en', regex: /\b(?:i want|i d like|i would like|i wish|how do i|how can i|let me|please|pls|plz|can i|can you|i need) (?:to )?(?:unsubscribe|unsub|opt out|optout|be removed|be taken off|stop (?:getting|receiving)|cancel (?:my|the) subscription)\b/ },
  { language: 'en', regex: /\b(?:remove|delete|take|erase) (?:me|my number|this number|my details|my contact) (?:off|from|out of) (?:your |the |this |all |ur )?(?:list|lists|mailing list|contacts|contact list|database|whatsapp|system|group)\b/ },
  { language: 'en', regex: /\b(?:remove|delete|erase) (?:me|my number|this number|my data)\b/ },
  { language: 'en', regex: /\bopt(?:ing)? (?:me )?out\b|\boptout\b/ },
  { language: 'en', regex: new RegExp(`\\bno more (?:${THINGS})\\b`) },
  { language: 'en', regex: new RegExp(`\\b(?:i don t|i dont|i do not) want (?:any |to receive |to get |your )?(?:more |any more |these )?(?:${THINGS}|these|this)\\b`) },
  { language: 'en', regex: /\bleave me alone\b/ },
  { language: 'en', regex: /\bnot interested\b/ },
  { language: 'pl', regex: /\bnie (?:piszcie|pisz|piszesz|piszecie|wysylajcie|wysylaj|przysylajcie|kontaktujcie sie|kontaktuj sie|dzwoncie|spamujcie) (?:do mnie|mi|wiecej|juz|ze mna)\b/ },
  { language: 'pl', regex: /\b(?:prosze o|chce|chcialbym|chcialabym|zadam) (?:wypisanie|wypisac sie|usuniecie|rezygnacje|wykreslenie)\b/ },
  { language: 'pl', regex: /\b(?:wypisz|wypiszcie|wypisac|wypiszecie|usun|usuncie|usunac|usuniecie|wykresl|wykreslcie|wykreslic)\b(?: \w+){0,3} (?:mnie|moj numer|moje dane|z listy|z bazy|z subskrypcji|z newslettera)\b/ },
  { language: 'pl', regex: /\bmnie (?:wypisac|wypisz|wypiszcie|usunac|usun|usuncie|wykreslic)\b/ },
  { language: 'pl', regex: /\bprzestan(?:cie)? (?:do mnie )?(?:pisac|wysylac|dzwonic|spamowac|mnie nekac)\b/ },
  { language: 'pl', regex: /\bnie chce (?:juz )?(?:wiecej )?(?:dostawac |otrzymywac )?(?:wiadomosci|smsow|sms|powiadomien|reklam|ofert|newslettera|spamu)\b/ },
  { language: 'pl', regex: /\brezygnuje z (?:subskrypcji|wiadomosci|powiadomien|newslettera|zgody|otrzymywania)\b/ },
  { language: 'pl', regex: /\b(?:wylacz|wylaczcie|anuluj|anulujcie|cofam|wycofuje) (?:mi )?(?:powiadomienia|subskrypcje|zgode|wiadomosci|sms)\b/ },
  { language: 'pl', regex: /\b(?:dosc|koniec|dajcie spokoj) (?:z )?(?:wiadomosci|tych wiadomosci|spamu|reklam|sms)\b|\bdajcie mi spokoj\b/ },
  // Questions about how to stop ("jak się wypisać?", "gdzie się wypisać?") are requests too.
  { language: 'pl', regex: /\b(?:jak|gdzie|czy)\b(?: \w+){0,3} (?:wypisac|zrezygnowac|odsubskrybowac|wyrejestrowac|anulowac (?:subskrypcje|zgode)|przestac (?:dostawac|otrzymywac))\b/ },
  { language: 'es', regex: /\bno me (?:escribas|escriban|envies|envien|mandes|manden|contactes|contacten|llames|llamen|molesten|molestes)\b/ },
  { language: 'es', regex: /\bdej(?:a|en|e|ar) de (?:escribirme|enviarme|mandarme|contactarme|llamarme|molestarme|enviar|mandar)\b/ },
  { language: 'es', regex: /\b(?:dame|denme|darme|deme|darse|darte|dar|doy|dan|das) de baja\b/ },
  { language: 'es', regex: /\bdej(?:o|ar|amos) de recibir\b/ },
  { language: 'es', regex: /\bno (?:quiero|deseo) (?:recibir )?(?:mas )?(?:mensajes|promociones|publicidad|notificaciones|ofertas|nada)\b/ },
  { language: 'es', regex: /\b(?:borr|elimin|quit|sac)(?:a|en|e|ar)(?:me)? (?:mi numero |me )?(?:de (?:la|su|tu|vuestra) lista|de la base|mi numero)\b/ },
  { language: 'es', regex: /\b(?:cancelar|anular|cancelo|anulo) (?:la |mi )?suscripcion\b|\bdesuscrib\w*\b|\bdesinscrib\w*\b/ },
  { language: 'es', regex: /\b(?:basta|no mas) (?:de )?(?:mensajes|promociones|publicidad|spam)\b/ },
  { language: 'fr', regex: /\barretez (?:de m |de nous |d )?(?:ecrire|envoyer|contacter|appeler|spammer|harceler|m ecrire|m envoyer)\b/ },
  { language: 'fr', regex: /\bne m (?:ecrivez|envoyez|contactez|appelez) plus\b/ },
  { language: 'fr', regex: /\b(?:desabonnez|desinscrivez|retirez|supprimez|enlevez) moi\b/ },
  { language: 'fr', regex: /\b(?:me desabonner|me desinscrire|se desabonner|se desinscrire|etre retire|etre desinscrit|etre desabonne)\b/ },
  { language: 'fr', regex: /\bje ne (?:veux|souhaite) plus (?:recevoir|de messages|de vos messages|etre contacte)\b/ },
  { language: 'fr', regex: /\b(?:plus de|assez de) (?:messages|pub|publicite|spam|sms)\b|\blaissez moi tranquille\b/ },
  { language: 'fr', regex: /\b(?:supprimez|retirez|effacez) (?:mon numero|mes donnees)\b/ },
  { language: 'pt', regex: /\bpar(?:e|em|a|ar) de (?:me )?(?:enviar|mandar|escrever|contactar|ligar|incomodar)\b/ },
  { language: 'pt', regex: /\bnao (?:me )?(?:enviem|mandem|envie|mande|escrevam|escreva|contactem|liguem) mais\b/ },
  { language: 'pt', regex: /\b(?:me descadastre|me descadastrem|descadastre me|descadastrem me|descadastrar|descadastro)\b/ },
  { language: 'pt', regex: /\b(?:me )?(?:remova|removam|tire|tirem|retire|retirem|exclua|excluam)(?: me)? (?:meu numero )?(?:da|de) (?:sua |vossa |tua )?(?:lista|base)\b/ },
  { language: 'pt', regex: /\bquero (?:me )?(?:descadastrar|sair da lista|cancelar a inscricao|cancelar a assinatura)\b|\bsair da lista\b/ },
  { language: 'pt', regex: /\bnao quero (?:mais )?(?:receber|mensagens|promocoes)\b/ },
  { language: 'pt', regex: /\b(?:cancelar|cancelo|parar de receber|deixar de receber|paro de receber|deixo de receber)(?: as| os| a| o)? (?:mensagens|promocoes|inscricao|assinatura)\b/ },
  { language: 'pt', regex: /\b(?:chega de|sem mais) (?:mensagens|promocoes|spam)\b/ },
  { language: 'de', regex: /\b(?:hort|horen sie|hor) (?:bitte )?auf (?:mir )?(?:zu )?(?:schreiben|schicken|nachrichten|senden)\b/ },
  { language: 'de', regex: /\b(?:schreib|schreibt|schreiben sie|schickt|schicken sie|kontaktieren sie|sendet|senden sie) mir (?:nicht mehr|keine|nichts mehr)\b/ },
  { language: 'de', regex: /\bkeine (?:nachrichten|werbung|whatsapps?|sms|newsletter|angebote) mehr\b/ },
  { language: 'de', regex: /\b(?:melde|meldet|melden sie) mich ab\b|\bmelde ich mich ab\b|\babmelden\b|\babbestellen\b/ },
  { language: 'de', regex: /\b(?:tragt|tragen sie|trag) mich aus\b|\baustragen\b/ },
  { language: 'de', regex: /\bich (?:will|mochte|moechte) (?:mich abmelden|keine nachrichten|nichts mehr)\b/ },
  { language: 'de', regex: /\b(?:loschen|losche|loscht) (?:sie )?(?:meine nummer|meine daten|mich)\b|\blasst mich in ruhe\b|\blassen sie mich in ruhe\b/ },
  { language: 'ja', regex: /(?:配信|送信|連絡|メッセージ|メール|通知|案内|広告|ライン|line)(?:を|は)?(?:停止|止め|とめ|やめ|中止|不要|拒否|解除|いらない|いりません|結構)/ },
  { language: 'ja', regex: /(?:停止|解除|中止|退会)(?:して|をお願い|希望|したい|お願い|してほしい|でお願い)/ },
  { language: 'ja', regex: /(?:送らないで|送ってこないで|連絡しないで|もう送らない|送信しないで|受信拒否|配信不要|迷惑です)/ },
  { language: 'ja', regex: /(?:配信|メッセージ|メール|連絡|通知|広告)(?:は|を|も)?(?:もう)?(?:いりません|いらない|要らない|要りません|結構です|不要)/ },
  { language: 'ja', regex: /(?:登録|購読|会員)(?:を)?(?:解除|取り消|取消|やめ)/ },
  { language: 'ja', regex: /(?:やめて|止めて|とめて)(?:ください|下さい|くれ|ほしい)/ },
  { language: 'ja', regex: /どうやって(?:解除|停止|退会|配信停止)|(?:解除|停止|退会)(?:できます|する方法|の方法|の仕方)/ },
];

// "please don't stop messaging me" is the opposite of a stop request.
const NEGATED_STOP = /\b(?:don t|dont|do not|never|please don t) stop\b/;

// Mentions of an opt-out keyword that are plainly not a request; see the header.
const HARMLESS_MENTIONS: readonly RegExp[] = [
  /\b(?:don t|dont|do not|never|didn t|did not|doesn t|does not|won t ever|can t|cannot) stop\b/g,
  /\bstop(?:ping)? by\b/g,
  /\b(?:bus|next|last|first|pit|full|one|non|tram|train) stop\b/g,
  /\bcancel (?:my|the|our|this|an|a) (?:order|appointment|booking|reservation|delivery|visit|table|meeting|payment)\b/g,
];

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

// The message with its harmless mentions blanked out, for the opt-out keyword search.
export function withoutHarmlessMentions(message: string): string {
  let folded = foldForPhrases(message);
  for (const regex of HARMLESS_MENTIONS) folded = folded.replace(regex, ' ');
  return folded;
}
