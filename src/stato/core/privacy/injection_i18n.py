"""Injection rules in Spanish, German, French, Chinese and Japanese: override, concealment, role.

Each language's override rule needs a scope word (previous, all, system ...) as the English one
does, so "ignora las reglas de lint" stays clean and "ignora todas las instrucciones" does not.
"""

from __future__ import annotations

import re

from stato.core.privacy.injection import inj
from stato.core.privacy.rule import Rule, Validator

_S = r"[\s,]{1,3}"


def _scope(words: str) -> Validator:
    pattern = re.compile(words, re.IGNORECASE)

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
        keywords=(
            "no ",
            "sin ",
            "el usuario",
            "oculta",
            "esconde",
            "secretamente",
            "en secreto",
            "a escondidas",
        ),
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
        keywords=(
            "sag",
            "erzähl",
            "verrat",
            "teile",
            "informier",
            "erwähn",
            "zeige",
            "melde",
            "ohne",
            "der ",
            "die ",
            "heimlich",
            "dem ",
            "den ",
            "unbemerkt",
            "verdeckt",
            "lade",
            "sende",
            "schicke",
            "kopiere",
            "übertrage",
            "führe",
            "installiere",
            "schreibe",
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
        keywords=(
            "ne ",
            "ne\t",
            "sans",
            "l'util",
            "l’util",
            "cache",
            "dissimule",
            "secrètement",
            "n'",
            "n’",
            "en secret",
            "discrètement",
            "à son insu",
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

# -- Chinese ----------------------------------------------------------------------------------
_ZH_USER = r"(?:用户|用戶|使用者|人类|人類|开发者|開發者|主人)"
CHINESE: tuple[Rule, ...] = (
    inj(
        "override-zh",
        "instruction override (Chinese)",
        r"(?:忽略|忽视|忽視|无视|無視|忘记|忘記|忘掉|放弃|放棄|不要理会|不要理會|别管|別管|不用管|"
        r"不要遵守|不再遵守|不必遵守|跳过|跳過|绕过|繞過|抛开|拋開|丢弃|丟棄)(?:掉)?\s{0,2}"
        r"(?:(?:你|您|之前|以前|先前|此前|上面|上述|前面|前述|以上|原来|原來|原有|原始|所有|全部|一切|"
        r"任何|系统|系統|的|和|与|與|给|給|收到|被|设定|設定|过|過|中|里|裡|用户|用戶|使用者)\s{0,2}){0,8}"
        r"(?:指令|指示|说明|說明|规则|規則|提示词|提示詞|提示|命令|要求|约束|約束|限制|规定|規定|设定|設定)",
        keywords=(
            "忽略",
            "忽视",
            "忽視",
            "无视",
            "無視",
            "忘记",
            "忘記",
            "忘掉",
            "放弃",
            "放棄",
            "不要理",
            "别管",
            "別管",
            "不用管",
            "不要遵守",
            "不再遵守",
            "不必遵守",
            "跳过",
            "跳過",
            "绕过",
            "繞過",
            "抛开",
            "拋開",
            "丢弃",
            "丟棄",
        ),
        validator=_scope(
            r"之前|以前|先前|此前|上面|上述|前面|前述|以上|原来|原來|原有|原始|所有|"
            r"全部|一切|任何|系统|系統"
        ),
    ),
    inj(
        "conceal-zh",
        "concealment (Chinese)",
        r"(?:不要|不能|别|別|切勿|请勿|請勿|不准|不得|禁止|绝不|絕不|千万别|千萬別|千万不要|千萬不要|"
        r"绝对不要|絕對不要)\s{0,2}(?:(?:向|跟|对|對|给|給)\s{0,2})?(?:告诉|告訴|通知|提醒|透露给|"
        r"透露給|告知|提及|提起|汇报|匯報|报告|報告)\s{0,2}"
        + _ZH_USER
        + r"|(?:不要|不能|别|別|切勿|请勿|請勿|不准|不得|禁止|绝不|絕不|千万别|千萬別|"
        r"千万不要|千萬不要|"
        r"绝对不要|絕對不要|不)\s{0,2}(?:让|讓)\s{0,2}"
        + _ZH_USER
        + r"\s{0,2}(?:知道|发现|發現|看到|察觉|察覺|注意到|知情)"
        r"|(?:对|對|向)" + _ZH_USER + r"(?:保密|隐瞒|隱瞞|隐藏|隱藏)"
        r"|(?:在)?" + _ZH_USER + r"(?:不知情|不知道|不察觉|不察覺)的?(?:情况|情況)下"
        r"|(?:悄悄|偷偷|秘密|暗中|私下)(?:地)?(?:把|将|將)?[^\n。]{0,20}?(?:发送|發送|上传|上傳|"
        r"执行|執行|运行|運行|安装|安裝|发到|發到|传到|傳到)"
        r"|(?:不要|不能|别|別|切勿|请勿|請勿|千万别|千萬別)\s{0,2}把[^\n。]{0,16}?(?:告诉|告訴|透露给|透露給|"
        r"告知|说给|說給|汇报给|匯報給)\s{0,2}" + _ZH_USER + r""
        r"|(?:不要|不能|别|別|切勿|请勿|請勿|不准|不得|禁止|绝不|絕不)\s{0,2}(?:向|跟|对|對|给|給)\s{0,2}"
        + _ZH_USER
        + r"\s{0,2}(?:透露|提及|提起|说|說|告知|汇报|匯報|报告|報告|解释|解釋|展示|显示|顯示|"
        r"泄露|洩露)",
        keywords=(
            "不要",
            "不能",
            "别",
            "別",
            "切勿",
            "请勿",
            "請勿",
            "不准",
            "不得",
            "禁止",
            "绝不",
            "絕不",
            "千万",
            "千萬",
            "绝对",
            "絕對",
            "不",
            "对",
            "對",
            "向",
            "在",
            "用户",
            "用戶",
            "使用者",
            "悄悄",
            "偷偷",
            "秘密",
            "暗中",
            "私下",
        ),
    ),
    inj(
        "role-zh",
        "role hijack (Chinese)",
        r"(?:你现在是|你現在是|现在你是|現在你是|从现在(?:开始|起)[,，]?\s{0,2}你(?:是|将|將|要)|"
        r"從現在(?:開始|起)[,，]?\s{0,2}你(?:是|將|要)|你已经不再是|你已經不再是|你不再是)"
        r"[^\n。]{0,12}?(?:dan\b|不受|没有任何限制|沒有任何限制|无限制|無限制|没有限制|沒有限制|"
        r"自由|越狱|越獄|开发者模式|開發者模式|ai助手|人工智能|助手|邪恶|邪惡)"
        r"|(?:进入|進入|开启|開啟|启用|啟用)\s{0,2}(?:dan|越狱|越獄|无限制|無限制)\s{0,2}模式"
        r"|(?:你的|您的)新(?:指令|任务|任務|角色)(?:是|为|為)",
        keywords=(
            "你",
            "现在",
            "現在",
            "从现在",
            "從現在",
            "进入",
            "進入",
            "开启",
            "開啟",
            "启用",
            "啟用",
            "您的",
        ),
    ),
)

# -- Japanese ---------------------------------------------------------------------------------
_JA_USER = r"(?:ユーザー?|利用者|使用者|人間|開発者)"
JAPANESE: tuple[Rule, ...] = (
    inj(
        "override-ja",
        "instruction override (Japanese)",
        r"(?:これまで|今まで|以前|前|上記|先|前述|最初|元|既存|システム|全て|すべて|あらゆる)(?:の|に与えられた"
        r"|で与えられた)?\s{0,2}(?:全ての|すべての|全部の|あらゆる)?\s{0,2}(?:指示|命令|ルール|指令|"
        r"プロンプト|制約|設定|規則|インストラクション)(?:を|は|も)\s{0,2}(?:全て|すべて|全部)?\s{0,2}"
        r"(?:無視|忘れ|破棄|放棄|無効)",
        keywords=(
            "これまで",
            "今まで",
            "以前",
            "前",
            "上記",
            "先",
            "最初",
            "元",
            "既存",
            "システム",
            "全て",
            "すべて",
            "あらゆる",
        ),
    ),
    inj(
        "conceal-ja",
        "concealment (Japanese)",
        _JA_USER
        + r"(?:に|には|へ|へは)\s{0,2}(?:絶対に|決して|一切)?\s{0,2}(?:この(?:こと|指示)を\s{0,2})?"
        r"(?:言わ|伝え|知らせ|教え|報告し|見せ|通知し|話さ|明かさ|説明し|言及し)(?:ない|ず|ぬ|るな)"
        r"|"
        + _JA_USER
        + r"(?:に|には)\s{0,2}(?:知られ|気づかれ|気付かれ|バレ|ばれ|悟られ)(?:ない|ず)"
        r"|" + _JA_USER + r"(?:に|には)(?:内緒|秘密)"
        r"|(?:こっそり|密かに|ひそかに|黙って|内緒で|勝手に)(?:と)?[^\n。]{0,20}?(?:送信|アップロード|"
        r"実行|インストール|送っ|送る|転送)",
        keywords=(
            "ユーザ",
            "利用者",
            "使用者",
            "人間",
            "開発者",
            "こっそり",
            "密かに",
            "ひそかに",
            "黙って",
            "内緒で",
            "勝手に",
        ),
    ),
    inj(
        "role-ja",
        "role hijack (Japanese)",
        r"(?:あなたは今から|今からあなたは|これからあなたは|あなたはもう|今後あなたは|あなたはこれから)"
        r"[^\n。]{0,12}?(?:dan\b|制限のない|制約のない|制限なし|自由な|何でもでき|フィルター|脱獄|"
        r"開発者モード|AIではない|アシスタントではない)"
        r"|(?:dan|脱獄|ジェイルブレイク)モード|(?:あなたの)?新しい(?:指示|役割|任務)は",
        keywords=(
            "あなた",
            "今から",
            "これから",
            "今後",
            "dan",
            "脱獄",
            "ジェイルブレイク",
            "新しい",
        ),
    ),
)

_CJK_SECRET = (
    r"(?:\.env|密钥|密鑰|秘钥|令牌|凭证|憑證|凭据|憑據|密码|密碼|私钥|私鑰|环境变量|環境變量|token|api\s{0,2}key|"
    r"ssh|秘密鍵|鍵ファイル|トークン|パスワード|認証情報|環境変数|クレデンシャル)"
)
CJK_EXFIL: tuple[Rule, ...] = (
    inj(
        "exfil-cjk",
        "secrets sent somewhere (Chinese, Japanese)",
        r"(?:把|将|將)?[^\n。]{0,30}?"
        + _CJK_SECRET
        + r"[^\n。]{0,30}?(?:发送|發送|上传|上傳|发到|發到|"
        r"传到|傳到|提交到|转发|轉發|送信|アップロード|送って|送る|転送)",
        keywords=(
            ".env",
            "密钥",
            "密鑰",
            "秘钥",
            "令牌",
            "凭证",
            "憑證",
            "凭据",
            "憑據",
            "密码",
            "密碼",
            "私钥",
            "私鑰",
            "环境变量",
            "環境變量",
            "token",
            "api",
            "ssh",
            "秘密鍵",
            "鍵ファイル",
            "トークン",
            "パスワード",
            "認証情報",
            "環境変数",
            "クレデンシャル",
            "把",
            "将",
            "將",
        ),
        validator=lambda span, m, text: not span.isascii(),
    ),  # fmt: skip
)

I18N: tuple[Rule, ...] = CJK_EXFIL + SPANISH + GERMAN + FRENCH + CHINESE + JAPANESE
