"""Injection rules in Spanish, German and French: override, concealment, role (Chinese and
Japanese are in injection_cjk.py).

Each language's override rule needs a scope word (previous, all, system ...) as the English one
does, so "ignora las reglas de lint" stays clean and "ignora todas las instrucciones" does not.
"""

from __future__ import annotations

import re

from stato.core.privacy.injection import inj
from stato.core.privacy.rule import Lazy, Rule, Validator, any_of


def _scope(words: str) -> Validator:
    pattern = Lazy(words, re.IGNORECASE)

    def ok(span: str, m: re.Match[str], text: str) -> bool:
        tail = re.split(r"[.!?\n。！？]", text[m.end() : m.end() + 60], maxsplit=1)[0]
        return bool(pattern.search(span) or pattern.search(tail))

    return ok


# -- Spanish ----------------------------------------------------------------------------------
_ES_USER = (
    r"(?:al|a\s{1,3}l[oa]s?|a\s{1,3}la)\s{1,3}(?:usuari[oa]s?|human[oa]|desarrollador(?:a|es)?)"
)
SPANISH: tuple[Rule, ...] = (
    inj(
        "override-es",
        "instruction override (Spanish)",
        r"(?:olv[ií]date\s{1,3}de|olv[ií]dese\s{1,3}de|olvidaos\s{1,3}de|ignora|ignore|ignorad|ignoren|olvida|olvide|olvidad|olviden|descarta|descarte|omite|"
        r"omita|desobedece|haz\s{1,3}caso\s{1,3}omiso\s{1,3}(?:a|de))\s{1,3}"
        r"(?:(?:todas?|todos|las|los|tus|sus|mis|estas|esas|de|cualquier|cada)\s{1,3}){0,4}"
        r"(?:instrucciones|indicaciones|[oó]rdenes|reglas|directrices|pautas|normas|instrucci[oó]n|"
        r"mensajes|restricciones)(?:\s{1,3}(?:anteriores|previas|de\s{1,3}arriba|del\s{1,3}sistema|"
        r"originales|iniciales|recibidas))?"
        r"|(?:olvida|olvide|olvidad|ignora|ignore|descarta)\s{1,3}(?:todo|todas?\s{1,3}las?\s{1,3}\w{1,15})"
        r"\s{1,3}(?:lo\s{1,3})?(?:anterior|previo|de\s{1,3}antes|lo\s{1,3}que\s{1,3}te\s{1,3}(?:dijeron|"
        r"han\s{1,3}dicho|dije))",
        keywords=("ignor", "olvid", "olvíd", "descart", "omit", "desobedece", "haz caso"),
        validator=_scope(
            r"anterior|previa|arriba|sistema|original|inicial|recibid|\btodas?\b|"
            r"\btodos\b|\btus\b|\bsus\b|cualquier"
        ),
    ),
    inj(
        "conceal-es",
        "concealment (Spanish)",
        r"no\s{1,3}(?:le\s{1,3}|les\s{1,3}|se\s{1,3}lo\s{1,3})?(?:digas|diga|digan|decir|menciones|"
        r"mencione|mencionar|informes|informe|informar|reveles|revele|revelar|cuentes|cuente|"
        r"contar|avises|avise|avisar|muestres|muestre|expliques)\s{1,3}(?:(?:nada|esto|eso|sobre|"
        r"de|estas|instrucciones|nunca)\s{1,3}){0,3}"
        + _ES_USER
        + r"|sin\s{1,3}(?:decirle|decir|avisarle|avisar|informar|informarle|notificar|que\s{1,3}"
        r"(?:lo\s{1,3})?sepa)(?:le|les)?\s{1,3}(?:nada\s{1,3})?(?:"
        + _ES_USER
        + r"|el\s{1,3}usuario)"
        r"|el\s{1,3}usuario\s{1,3}no\s{1,3}(?:debe|puede|tiene\s{1,3}que)\s{1,3}(?:saber|enterarse|"
        r"ver|notar|descubrir)|(?:oculta|esconde|ocultar|esconder)\s{1,3}(?:esto|"
        r"esta\s{1,3}\w{1,20}|"
        r"estas\s{1,3}\w{1,20})\s{1,3}(?:al|del|a\s{1,3}los)\s{1,3}usuarios?"
        r"|(?:secretamente|en\s{1,3}secreto|a\s{1,3}escondidas|sin\s{1,3}que\s{1,3}nadie\s{1,3}lo"
        r"\s{1,3}sepa)[\s,]{1,3}(?:env[ií]a|sube|ejecuta|instala|copia|manda)",
        keywords=any_of("no |sin |el usuario|oculta|esconde|secretamente|en secreto|a escondidas"),
    ),
    inj(
        "role-es",
        "role hijack (Spanish)",
        r"(?:ahora|a\s{1,3}partir\s{1,3}de\s{1,3}ahora|desde\s{1,3}ahora|de\s{1,3}ahora\s{1,3}en"
        r"\s{1,3}adelante),?\s{1,3}(?:t[uú]\s{1,3})?(?:eres|ser[aá]s|act[uú]as\s{1,3}como)\s{1,3}"
        r"(?:un\s{1,3}|una\s{1,3})?(?:dan\b|libre|otr[oa]|(?:ia|asistente|modelo)\s{1,3}(?:sin|"
        r"libre)|"
        r"sin\s{1,3}(?:restricciones|l[ií]mites|filtros|reglas))"
        r"|(?:tus|las)\s{1,3}nuevas\s{1,3}instrucciones\s{1,3}son|modo\s{1,3}(?:dan|sin\s{1,3}"
        r"restricciones|jailbreak)",
        keywords=("ahora", "a partir", "desde", "de ahora", "tus", "las nuevas", "modo"),
    ),
)

# -- German -----------------------------------------------------------------------------------
_DE_USER = r"(?:dem|den|der|die)\s{1,3}(?:benutzer|nutzer|anwender|user)(?:in|innen|n)?"
GERMAN: tuple[Rule, ...] = (
    inj(
        "override-de",
        "instruction override (German)",
        r"(?:ignoriere|ignorier|ignorieren\s{1,3}sie|vergiss|vergessen\s{1,3}sie|missachte|"
        r"missachten\s{1,3}sie|verwirf|übergehe|übergehen\s{1,3}sie|setze\s{1,3}außer\s{1,3}kraft)"
        r"\s{1,3}(?:(?:alle|sämtliche|die|deine|ihre|jegliche|vorherigen|bisherigen|obigen|"
        r"vorangegangenen|früheren|vorigen|ursprünglichen|gegebenen|erhaltenen|"
        r"einfach)\s{1,3}){0,4}"
        r"(?:anweisungen|instruktionen|regeln|befehle|vorgaben|richtlinien|anordnungen|"
        r"systemanweisungen|systemprompts?|prompts?|einschränkungen|beschränkungen)"
        r"|(?:vergiss|vergessen\s{1,3}sie|ignoriere|ignorieren\s{1,3}sie)\s{1,3}alles[\s,]{1,3}"
        r"(?:was|davor|vorher|bisher|zuvor|oben|obige)"
        r"|(?:ignoriere|ignorieren\s{1,3}sie|vergiss)\s{1,3}(?:den\s{1,3}rest|alles\s{1,3}andere|alle\s{1,3}"
        r"anderen\s{1,3}(?:anweisungen|regeln))",
        keywords=("ignorier", "vergiss", "vergessen", "missacht", "verwirf", "übergeh", "setze"),
        validator=_scope(
            r"alle|sämtlich|jeglich|vorherig|bisherig|obig|vorangegangen|früher|"
            r"vorig|ursprünglich|deine|ihre|system|erhalten|\brest\b|andere"
        ),
    ),
    inj(
        "conceal-de",
        "concealment (German)",
        r"(?:sag|sage|sagen\s{1,3}sie|erzähl|erzähle|verrate|verrat|verraten\s{1,3}sie|teile|"
        r"informiere|informieren\s{1,3}sie|erwähne|erwähnen\s{1,3}sie|zeige|melde)\s{1,3}"
        r"(?:(?:es|das|dies|davon|darüber|hiervon)\s{1,3}){0,2}"
        + _DE_USER
        + r"\s{1,3}(?:(?:davon|darüber|es|das|hiervon|auf\s{1,3}keinen\s{1,3}fall|"
        r"niemals)\s{1,3}){0,2}"
        r"(?:nichts|nicht|kein|nie)"
        r"|ohne\s{1,3}(?:dass\s{1,3})?" + _DE_USER + r"\s{1,3}(?:es\s{1,3}|davon\s{1,3}|darüber"
        r"\s{1,3})?(?:zu\s{1,3})?(?:informieren|benachrichtigen|fragen|merkt|weiß|erfährt|"
        r"bemerkt|mitbekommt|sagen)"
        r"|(?:der|die)\s{1,3}(?:benutzer|nutzer|anwender)(?:in)?\s{1,3}darf\s{1,3}(?:(?:das|dies|"
        r"davon|es)\s{1,3})?(?:nicht|nie|niemals)\s{1,3}(?:wissen|erfahren|sehen|bemerken|merken)"
        r"|(?:heimlich|unbemerkt|verdeckt)\s{1,3}(?:\w{1,20}\s{1,3}){0,3}(?:senden|schicken|"
        r"hochladen|ausführen|installieren|übertragen|kopieren)"
        r"|(?:lade|sende|schicke|kopiere|übertrage|führe|installiere|schreibe)\s{1,3}"
        r"(?:\S{1,20}\s{1,3}){0,3}?(?:heimlich|unbemerkt)"
        r"|"
        + _DE_USER
        + r"\s{1,3}(?:\w{1,15}\s{1,3}){0,2}?(?:nichts|nicht|niemals|nie|kein\w{0,3})"
        r"\s{1,3}(?:\w{1,15}\s{1,3}){0,1}?(?:sagen|erzählen|mitteilen|verraten|zeigen|melden|erwähnen|"
        r"wissen\s{1,3}lassen)",
        keywords=any_of(
            "sag|erzähl|verrat|teile|informier|erwähn|zeige|melde|ohne|der |die |heimlich|dem |den "
            "|unbemerkt|verdeckt|lade|sende|schicke|kopiere|übertrage|führe|installiere|schreibe"
        ),
    ),
    inj(
        "role-de",
        "role hijack (German)",
        r"(?:du\s{1,3}bist\s{1,3}(?:jetzt|nun|ab\s{1,3}sofort|ab\s{1,3}jetzt|"
        r"von\s{1,3}nun\s{1,3}an)"
        r"|ab\s{1,3}(?:jetzt|sofort)\s{1,3}bist\s{1,3}du|sie\s{1,3}sind\s{1,3}(?:jetzt|nun|ab"
        r"\s{1,3}sofort))\s{1,3}(?:ein(?:e)?\s{1,3})?(?:dan\b|frei|(?:ki|ai|assistent|modell)"
        r"\s{1,3}ohne|ohne\s{1,3}(?:einschränkungen|regeln|filter|grenzen)|uneingeschränkt|"
        r"nicht\s{1,3}mehr|im\s{1,3}\w{1,20}modus|entfesselt)"
        r"|(?:deine|ihre)\s{1,3}neuen\s{1,3}anweisungen\s{1,3}(?:sind|lauten)",
        keywords=("du bist", "ab jetzt", "ab sofort", "sie sind", "deine", "ihre"),
    ),
)

# -- French -----------------------------------------------------------------------------------
_FR_USER = (
    r"(?:(?:à\s{1,3})?l['’]\s{0,2}|aux?\s{1,3}|les\s{1,3})(?:utilisat(?:eur|rice)s?|usagers?|"
    r"humains?|développeur)"
)
FRENCH: tuple[Rule, ...] = (
    inj(
        "override-fr",
        "instruction override (French)",
        r"(?:ignore|ignorez|ignorer|oublie|oubliez|oublier|néglige|négligez|fais\s{1,3}abstraction"
        r"\s{1,3}de|faites\s{1,3}abstraction\s{1,3}de|ne\s{1,3}tiens\s{1,3}pas\s{1,3}compte|"
        r"ne\s{1,3}tenez\s{1,3}pas\s{1,3}compte|passe\s{1,3}outre|passez\s{1,3}outre)"
        r"\s{0,3}(?:(?:toutes|tous|tout|les|des|du|tes|vos|ces|ses|précédentes|antérieures|de|à|"
        r"d['’])"
        r"\s{0,3}){0,4}(?:instructions?|consignes?|règles|directives?|ordres|commandes|prompts?|"
        r"restrictions)(?:\s{1,3}(?:précédentes|antérieures|ci-dessus|du\s{1,3}système|initiales|"
        r"originales|reçues))?"
        r"|(?:oublie|oubliez|ignore|ignorez)\s{1,3}tout\s{1,3}(?:ce\s{1,3}qu['’]\s{0,2}(?:on|il|elle|"
        r"je|vous)|ce\s{1,3}qui\s{1,3}(?:précède|a\s{1,3}été\s{1,3}dit)|ce\s{1,3}que)",
        keywords=("ignor", "oubli", "néglig", "fais", "faites", "ne tien", "ne ten", "passe"),
        validator=_scope(
            r"toutes|tous|précédent|antérieur|\btes\b|\bvos\b|ci-dessus|système|"
            r"initial|originel|original|reçue|tout\s+ce|précédemment|auparavant|avant"
        ),
    ),
    inj(
        "conceal-fr",
        "concealment (French)",
        r"ne\s{1,3}(?:le\s{1,3}|lui\s{1,3}|leur\s{1,3}|l['’]\s{0,2})?(?:dis|dites|révèle|révélez|"
        r"mentionne|mentionnez|signale|signalez|informe|informez|montre|montrez|parle|parlez|"
        r"avertis|avertissez|préviens|prévenez)\s{1,3}(?:rien|pas|jamais)\s{1,3}(?:(?:de|ceci|"
        r"cela|ça|à\s{1,3}ce\s{1,3}sujet|ces|instructions)\s{1,3}){0,3}"
        + _FR_USER
        + r"|sans\s{1,3}(?:le\s{1,3}dire|en\s{1,3}informer|prévenir|informer|avertir|le\s{1,3}"
        r"signaler|en\s{1,3}parler|que)\s{1,3}(?:(?:à|l['’]|en)\s{0,3})?l?['’]?\s{0,2}"
        r"utilisat(?:eur|rice)"
        r"|l['’]\s{0,2}utilisat(?:eur|rice)\s{1,3}ne\s{1,3}doit\s{1,3}(?:pas|jamais)\s{1,3}(?:le"
        r"\s{1,3})?(?:savoir|voir|remarquer|être\s{1,3}(?:informé|au\s{1,3}courant)|découvrir)"
        r"|(?:cache|cachez|dissimule|dissimulez)\s{1,3}(?:ceci|cela|ces\s{1,3}\w{1,20}|cette\s{1,3}"
        r"\w{1,20})\s{1,3}"
        + _FR_USER
        + r"|(?:secrètement|en\s{1,3}secret|discrètement|à\s{1,3}son\s{1,3}insu)[\s,]{1,3}"
        r"(?:envoie|envoyez|télécharge|exécute|exécutez|installe|copie|transmets)"
        r"|n['’]\s{0,2}(?:informe|informez|avertis|avertissez|alerte|alertez)\s{1,3}(?:pas|jamais)"
        r"\s{1,3}(?:l['’]\s{0,2}utilisat|les\s{1,3}utilisat|personne)",
        keywords=any_of(
            "ne |ne\t|sans|l'util|l’util|cache|dissimule|secrètement|n'|n’|en secret|discrètement"
            "|à son insu"
        ),
    ),
    inj(
        "role-fr",
        "role hijack (French)",
        r"(?:(?:tu\s{1,3}es|vous\s{1,3}êtes)\s{1,3}(?:maintenant|désormais|dorénavant|à\s{1,3}"
        r"présent)|(?:à\s{1,3}partir\s{1,3}de\s{1,3}maintenant|désormais|dorénavant),?\s{1,3}"
        r"(?:tu\s{1,3}es|vous\s{1,3}êtes))\s{1,3}(?:une?\s{1,3})?(?:dan\b|libre|(?:ia|assistant|"
        r"modèle)\s{1,3}sans|sans\s{1,3}(?:restrictions?|limites?|filtres?|règles)|en\s{1,3}mode|"
        r"plus\s{1,3}(?:lié|limité|tenu|soumis))"
        r"|(?:tes|vos)\s{1,3}nouvelles\s{1,3}(?:instructions|consignes)\s{1,3}sont",
        keywords=("tu es", "vous êtes", "à partir", "désormais", "dorénavant", "tes", "vos"),
    ),
)

I18N: tuple[Rule, ...] = SPANISH + GERMAN + FRENCH
