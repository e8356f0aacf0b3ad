"""Per-language trigger tables for visits and meetings (read like a settings file).

Each language has one table of regular-expression fragments (alternatives, matched case-insensitively
over the sentence after ``match_key`` folding, so ``ё`` = ``е`` and every Uzbek apostrophe is ``'``):

visit        verbs of motion and visiting ("прибыл", "посетит", "抵达", "барды", "tashrif buyurdi")
visit_noun   visit nouns ("визит", "сапар", "tashrif", "访问"); alone they say a visit exists, not when
host         the subject receives the guest ("принял", "қабылдады", "qabul qildi", "欢迎")
meet         the subject meets or holds talks ("провел переговоры", "кездесті", "会见", "会谈")
planned      future forms and words ("посетит", "намерен", "将", "барады", "rejalashtirilgan")
cancelled    ("отменен", "取消", "bekor qilindi"); postponed ("перенесен", "推迟", "qoldirildi")
denial       the sentence says there is no visit ("не планирует", "опроверг", "否认", "bormaydi")
topic_before / topic_after   the visit is only a topic or a rumour ("о возможном визите", "сапары туралы")
historical   an earlier visit ("ранее", "в прошлый раз", "此前")
destination  where the destination sits relative to the trigger: "after" (ru, zh: "прибыл в X",
             "抵达X"), "before" (SOV kk/ky/uz/tg: "X-ке барды", "ба X сафар кард"); the other side is
             tried when the preferred one has none ("В Ташкент прибыл ...", zh "对X进行国事访问")
locative     a word right before a place meaning "in X" ("в", "在", "дар"); locative_suffix the
             ending of a place word meaning "in X" ("Мәскеуде", "Moskvada")
source       "from X" before a place ("из", "从", "аз"); source_suffix the ablative ending ("-дан", "-dan")
marker_before / case_suffix   any preposition or case ending on a place ("в", "из", "在", "-ға", "-da"):
             a marked country is a destination or a location, never the acting subject
direction_before / direction_suffix   "to X" ("в Москву", "对中国", "ба Тошканд", "Қытайға", "Qozog'istonga"):
             preferred destinations in the SOV languages
cased        the language marks case on names: a person whose word goes on past the name
             ("Токаева", "Путинмен", "Mirziyoyevni") is an object, not the subject
clause_break where a clause ends for the destination search

``lexicons_for(language)`` gives the tables to try for an article: the language's own first, then
the others in the same script (the language guess cannot tell Kazakh from Kyrgyz or Uzbek
Cyrillic), and all of them when the language is unknown. English keeps its original rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# --- English: the original rules, unchanged ------------------------------------------------------
EN_VISIT = re.compile(
    r"\b(arriv(?:ed|es|ing|e)|visit(?:ed|s|ing)?|trip to|travel(?:l?ed|l?ing|s)?(?: on)? to|"
    r"tour(?:ed|ing|s)?|landed in|lands in|head(?:s|ed|ing)? (?:to|for)|stopover in|fl(?:ew|ies|y|ying) to|"
    r"attend(?:s|ed|ing)?|came to|comes to|went to|goes to|go to|be in)\b", re.I)
EN_HOST = re.compile(r"\b(host(?:ed|s|ing)?|receiv(?:ed|es|ing)|welcom(?:ed|es|ing))\b", re.I)
EN_MEET = re.compile(
    r"\b(me(?:e)?t(?:s|ing)?(?: with)?|met(?: with)?|(?:held |holds |hold )?talks with|conferred with|"
    r"sat down with|discuss(?:ed|es)? \w+ with|negotiat\w+ with)\b", re.I)
EN_PLANNED = re.compile(
    r"\b(will|would|shall|plans? to|planned|planning to|is to|are to|scheduled|expected to|set to|"
    r"due to|intends? to|prepar(?:ed|es|ing) to|upcoming|next week|next month|to be held|"
    r"before (?:travel|visit|head|fly|go|leav)\w*|later this|is going to)\b", re.I)
EN_CANCELLED = re.compile(r"\b(cancel(?:l?ed|s)?|called off|scrapped|abandoned)\b", re.I)
EN_POSTPONED = re.compile(r"\b(postpon\w+|delayed|put off|rescheduled)\b", re.I)
EN_HISTORICAL = re.compile(r"\b(recalled|in \d{4}|years? ago|former|previous(?:ly)?|last visited)\b", re.I)
EN_NEGATED = re.compile(r"\b(not|never|no plans? to|denied|refused to|won't|will not)\b", re.I)

# --- Other languages ----------------------------------------------------------------------------
# Cyrillic letters used by ru/kk/ky/uz/tg, for word-internal classes.
CYR = "а-яёәғқңөұүһіӣӯҷҳўА-ЯЁӘҒҚҢӨҰҮҺІӢӮҶҲЎ"

TABLES: dict[str, dict[str, object]] = {
    "ru": {
        "script": "cyrillic",
        "visit": [r"прибыл[аи]?", r"прибуд(?:ет|ут)", r"прибыва(?:ет|ют)", r"прибыть",
                  r"посетил[аи]?", r"посет(?:ит|ят|ить)", r"посеща(?:ет|ют|ть)", r"побывал[аи]?", r"побывает",
                  r"прилетел[аи]?", r"прилетит", r"приехал[аи]?", r"приедет", r"отправил(?:ся|ась|ись)",
                  r"отправит(?:ся|ь?ся)", r"направил(?:ся|ась|ись)", r"находится с \w+ визитом",
                  r"принял[аи]? участие", r"примет участие"],
        "visit_noun": [r"визит(?:а|ом|е|у|ы|ов)?", r"поездк(?:а|и|у|е|ой)", r"турне"],
        "host": [r"принял[аи]?(?! участие)", r"прим(?:ет|ут)(?! участие)", r"принима(?:ет|ют)", r"встретил[аи]?(?!с)",
                 r"приветствовал[аи]?"],
        "meet": [r"встретил(?:ся|ась|ись)", r"встрет(?:ится|ятся)", r"провел[аи]? переговоры",
                 r"провед(?:ет|ут) переговоры", r"переговоры с", r"провел[аи]? встречу", r"встреч[аеи] с",
                 r"беседовал[аи]?", r"провел[аи]? беседу", r"(?:провел[аи]?|состоял(?:ся|ась|ись)?) телефонн\w+ "
                 r"разговор", r"телефонн\w+ разговор", r"переговорил[аи]? по телефону", r"созвонил(?:ся|ись)",
                 r"видеоконференци\w+", r"по видеосвязи"],
        "planned": [r"посет(?:ит|ят)", r"прибуд(?:ет|ут)", r"приедет", r"прилетит", r"побывает",
                    r"отправится", r"совершит", r"встрет(?:ится|ятся)", r"провед(?:ет|ут)", r"прим(?:ет|ут)",
                    r"планиру\w*", r"запланирован\w*", r"намерен\w*", r"собира\w+", r"ожида(?:ется|ются|ем\w+)",
                    r"состо(?:ится|ятся)", r"предстоящ\w*", r"на следующей неделе", r"в ближайшее время",
                    r"будет", r"готовит\w*", r"пройдет"],
        "cancelled": [r"отмен(?:ен|ён|ена|ено|ены|ил[аи]?|ять|ить)\w*", r"не состоится", r"не состоялся"],
        "postponed": [r"перенес(?:ен|ён|ена|ли|ти)\w*", r"перенос\w*", r"отлож(?:ен|ил|или|ена|ено)\w*"],
        "denial": [r"не (?:планиру|собира|намерен|посет|посещ|прибуд|поед|будет|совершит|приед)\w*",
                   r"опроверг\w*", r"отрица\w*", r"нет планов", r"не было"],
        "topic_before": [r"(?:\bо|\bоб|\bпо поводу|\bнасч[её]т|\bслухи о|\bвопрос о)\s+(?:возможн\w+\s+)?"
                         r"(?:\w+\s+)?", r"возможн\w+\s+"],
        "topic_after": [],
        "historical": [r"ранее", r"в прошлый раз", r"бывш\w+", r"вспомнил\w*", r"лет назад"],
        "destination": "after",
        "locative": r"(?:\bв|\bво|\bна)\s+$",
        "locative_suffix": None,
        "source": r"(?:\bиз|\bот)\s+$",
        "source_suffix": None,
        "cased": True,
        "marker_before": r"(?:\bв|\bво|\bна|\bиз|\bот|\bк|\bко|\bдо|\bс|\bсо|\bпо)\s+$",
        "direction_before": r"(?:\bв|\bво|\bна)\s+$",
        "case_suffix": None,
        "direction_suffix": None,
        "clause_break": r"[;:]|,\s*(?:где|который|которая|которые|а также|чтобы)\b",
    },
    "kk": {
        "script": "cyrillic",
        "visit": [r"барды", r"барады", r"бармақ\w*", r"келді", r"келеді", r"келмек\w*", r"келіп жетті",
                  r"аттанды", r"аттанады", r"қатысты", r"қатысады", r"сапар(?:мен|ға)? (?:жасады|жасайды|етті|етеді)"],
        "visit_noun": [r"сапар(?:ы|ын|мен|ымен|ының)?", r"іс-сапар\w*"],
        "host": [r"қабылдады", r"қабылдайды", r"қарсы алды"],
        "meet": [r"кездесті", r"кездеседі", r"кездесу өткізді", r"келіссөз(?:дер)? жүргізді",
                 r"келіссөз(?:дер)? өткізді", r"келіссөз(?:дер)? жүргізеді"],
        "planned": [r"барады", r"бармақ\w*", r"келеді", r"келмек\w*", r"аттанады", r"кездеседі", r"жүргізеді",
                    r"жоспарлан\w*", r"күтілуде", r"өтеді", r"алдағы", r"келесі аптада", r"жасайды", r"етеді"],
        "cancelled": [r"тоқтатылды", r"күшін жойды", r"болмайды", r"өтпейді"],
        "postponed": [r"кейінге қалдырыл\w*", r"шегерілді", r"ауыстырылды"],
        "denial": [r"бармай\w*", r"бармады", r"келмейді", r"жоспарланбаған\w*", r"жоспарламай\w*", r"жоққа шығарды",
                   r"жоқ"],
        "topic_before": [r"ықтимал\s+"],
        "topic_after": [r"^\s*туралы", r"^\s*жайлы"],
        "historical": [r"бұрын", r"өткен жолы", r"жыл бұрын"],
        "destination": "before",
        "locative": r"(?:\bв)\s+$",
        "locative_suffix": r"(?:да|де|та|те|нда|нде)$",
        "source": r"(?:\bиз)\s+$",
        "source_suffix": r"(?:дан|ден|тан|тен|нан|нен)$",
        "cased": True,
        "marker_before": None,
        "case_suffix": r"(?:ға|ге|қа|ке|да|де|та|те|нда|нде|дан|ден|тан|тен|нан|нен)$",
        "direction_suffix": r"(?:ға|ге|қа|ке)$",
        "clause_break": r"[;:]",
    },
    "ky": {
        "script": "cyrillic",
        "visit": [r"барды", r"барат", r"келди", r"келет", r"катышты", r"катышат", r"жөнөдү",
                  r"учуп (?:барды|келди|барат)", r"сапар менен (?:барды|келди|барат|келет)"],
        "visit_noun": [r"сапар(?:ы|ын|га)?", r"иш сапар\w*", r"зыярат\w*"],
        "host": [r"кабыл алды", r"кабыл алат", r"тосуп алды"],
        "meet": [r"жолукту", r"жолугат", r"жолугушту", r"жолугушат", r"жолугушуу өткөрдү",
                 r"сүйлөшүү(?:лөрдү)? (?:жүргүздү|өткөрдү)"],
        "planned": [r"барат", r"келет", r"жолугат", r"жолугушат", r"пландалу\w*", r"пландалган", r"күтүлүүдө",
                    r"боло турган", r"алдыдагы", r"келерки жумада"],
        "cancelled": [r"жокко чыгарылды"],
        "postponed": [r"кийинкиге калтырылды", r"жылдырылды"],
        "denial": [r"барбай\w*", r"барган жок", r"пландалган эмес", r"пландалбаган\w*", r"четке какты"],
        "topic_before": [],
        "topic_after": [r"^\s*тууралуу", r"^\s*жөнүндө"],
        "historical": [r"мурда", r"мурун", r"жыл мурун"],
        "destination": "before",
        "locative": r"(?:\bв)\s+$",
        "locative_suffix": r"(?:да|де|та|те|до|дө|то|тө)$",
        "source": r"(?:\bиз)\s+$",
        "source_suffix": r"(?:дан|ден|тан|тен|дон|дөн|тон|төн)$",
        "cased": True,
        "marker_before": None,
        "case_suffix": r"(?:га|ге|ка|ке|го|гө|ко|кө|да|де|та|те|до|дө|то|тө|дан|ден|тан|тен|дон|дөн|тон|төн)$",
        "direction_suffix": r"(?:га|ге|ка|ке|го|гө|ко|кө)$",
        "clause_break": r"[;:]",
    },
    "uz-Cyrl": {
        "script": "cyrillic",
        "visit": [r"(?<!олиб )борди", r"(?<!олиб )боради", r"келди", r"келади", r"ташриф буюр(?:ди|ади)",
                  r"жўнаб кетди", r"етиб келди", r"иштирок эт(?:ди|ади)"],
        "visit_noun": [r"ташриф(?:и|ига)?", r"сафар(?:и)?"],
        "host": [r"қабул қил(?:ди|ади)", r"кутиб олди"],
        "meet": [r"учрашди", r"учрашади", r"учрашув ўтказ(?:ди|ади)", r"музокара(?:лар)? ўтказ(?:ди|ади)",
                 r"музокара(?:лар)? олиб бор(?:ди|ади)"],
        "planned": [r"боради", r"келади", r"буюради", r"учрашади", r"ўтказади", r"режалаштирил\w*",
                    r"кутилмоқда", r"бўлиб ўтади", r"келгуси ҳафта\w*", r"бормоқчи"],
        "cancelled": [r"бекор қилинди"],
        "postponed": [r"қолдирилди", r"кечиктирилди"],
        "denial": [r"бормай\w*", r"бормади", r"режалаштирилмаган\w*", r"рад эт\w*"],
        "topic_before": [r"эҳтимолий\s+"],
        "topic_after": [r"^\s*ҳақида"],
        "historical": [r"аввалроқ", r"олдин", r"йил олдин"],
        "destination": "before",
        "locative": r"(?:\bв)\s+$",
        "locative_suffix": r"(?:да|та)$",
        "source": r"(?:\bиз)\s+$",
        "source_suffix": r"(?:дан|тан)$",
        "cased": True,
        "marker_before": None,
        "case_suffix": r"(?:га|ка|қа|да|та|дан|тан)$",
        "direction_suffix": r"(?:га|ка|қа)$",
        "clause_break": r"[;:]",
    },
    "tg": {
        "script": "cyrillic",
        "visit": [r"ташриф (?:овард|оварданд|меоварад|хоҳад овард)", r"сафар (?:кард|карданд|мекунад|хоҳад кард)",
                  r"ворид шуд", r"иштирок (?:кард|хоҳад кард)", r"расид", r"рафт", r"мераванд", r"меравад"],
        "visit_noun": [r"сафари (?:расмӣ|давлатӣ|корӣ)", r"боздид\w*"],
        "host": [r"қабул (?:кард|намуд|мекунад)", r"истиқбол (?:гирифт|намуд)", r"пешвоз гирифт"],
        "meet": [r"мулоқот (?:кард|карданд|намуд|анҷом дод)", r"вохӯрд\w*", r"гуфтушунид\w* (?:анҷом дод|гузаронид)",
                 r"музокира\w* (?:анҷом дод|гузаронид)"],
        "planned": [r"меоварад", r"мекунад", r"хоҳад", r"меравад", r"пешбинӣ шудааст", r"интизор меравад",
                    r"ҳафтаи оянда", r"қарор аст", r"дар назар аст"],
        "cancelled": [r"бекор карда шуд", r"лағв (?:карда )?шуд"],
        "postponed": [r"мавқуф гузошта шуд", r"ба таъхир (?:афтод|гузошта шуд)"],
        "denial": [r"намекунад", r"нахоҳад", r"рад кард", r"намеравад"],
        "topic_before": [r"эҳтимолии\s+"],
        "topic_after": [r"^\s*(?:дар бораи|оид ба)"],
        "historical": [r"пештар", r"қаблан", r"сол пеш"],
        "destination": "before",
        "locative": r"(?:\bдар)\s+$",
        "locative_suffix": None,
        "source": r"(?:\bаз)\s+$",
        "source_suffix": None,
        "cased": True,
        "marker_before": r"(?:\bба|\bдар|\bаз|\bто)\s+$",
        "case_suffix": None,
        "direction_suffix": None,
        "direction_before": r"\bба\s+$",
        "clause_break": r"[;:]",
    },
    "uz": {
        "script": "latin",
        "visit": [r"(?<!olib )bordi", r"(?<!olib )boradi", r"bormoqchi", r"keldi", r"keladi",
                  r"tashrif buyur(?:di|adi|moqda)", r"jo'nab ketdi", r"yetib keldi", r"ishtirok et(?:di|adi)"],
        "visit_noun": [r"tashrif(?:i|iga|ini)?", r"safar(?:i)? bilan", r"safari doirasida"],
        "host": [r"qabul qil(?:di|adi)", r"kutib oldi"],
        "meet": [r"uchrashdi", r"uchrashadi", r"uchrashuv o'tkaz(?:di|adi)", r"muzokara(?:lar)? o'tkaz(?:di|adi)",
                 r"muzokara(?:lar)? olib bor(?:di|adi)"],
        "planned": [r"boradi", r"bormoqchi", r"keladi", r"buyuradi", r"uchrashadi", r"o'tkazadi",
                    r"rejalashtiril\w*", r"kutilmoqda", r"bo'lib o'tadi", r"kelgusi hafta\w*", r"kelasi hafta\w*"],
        "cancelled": [r"bekor qilindi"],
        "postponed": [r"qoldirildi", r"kechiktirildi"],
        "denial": [r"bormay\w*", r"bormadi", r"rejalashtirilmagan\w*", r"rad et\w*"],
        "topic_before": [r"ehtimoliy\s+"],
        "topic_after": [r"^\s*haqida"],
        "historical": [r"avvalroq", r"yil oldin"],
        "destination": "before",
        "locative": r"(?!x)x",
        "locative_suffix": r"(?:da|ta)$",
        "source": r"(?!x)x",
        "source_suffix": r"(?:dan|tan)$",
        "cased": True,
        "marker_before": None,
        "case_suffix": r"(?:ga|ka|qa|da|ta|dan|tan)$",
        "direction_suffix": r"(?:ga|ka|qa)$",
        "clause_break": r"[;:]",
    },
    "zh": {
        "script": "han",
        "visit": [r"抵达", r"到达", r"飞抵", r"前往", r"赴", r"出访", r"到访", r"出席", r"(?<![事式作行])访问"],
        "visit_noun": [r"国事访问", r"正式访问", r"工作访问", r"进行访问"],
        "host": [r"欢迎", r"迎接", r"接待"],
        "meet": [r"会见", r"会谈", r"会晤", r"见面", r"通电话", r"通话", r"视频会晤", r"视频通话", r"视频连线"],
        "planned": [r"将", r"即将", r"计划", r"拟", r"预计", r"准备", r"下周", r"定于", r"应邀将"],
        "cancelled": [r"取消"],
        "postponed": [r"推迟", r"延期", r"改期"],
        "denial": [r"不会", r"没有", r"未(?!来)", r"否认", r"并无", r"无意", r"不计划", r"不打算"],
        "topic_before": [r"(?:关于|有关|可能|传闻)[^，。]{0,12}$"],
        "topic_after": [r"^[^，。]{0,6}(?:的传闻|的报道|一事)"],
        "historical": [r"此前", r"曾", r"上次"],
        "destination": "after",
        "locative": r"在$",
        "locative_suffix": None,
        "source": r"(?:从|自|离开)$",
        "source_suffix": None,
        "cased": False,
        "marker_before": r"(?:在|从|自|对|赴|到|抵达|前往|离开|访问)$",
        "direction_before": r"(?:对|赴|到|抵达|飞抵|前往|访问)$",
        "case_suffix": None,
        "direction_suffix": None,
        "clause_break": r"[;；:：。]",
    },
}

# Venues that name their city: "Ақордада қабылдады" happens in Astana, "人民大会堂" in Beijing.
VENUES: dict[str, tuple[str, str]] = {
    "Акорд": ("Астана", "KAZ"), "Ақорда": ("Астана", "KAZ"), "Akorda": ("Astana", "KAZ"),
    "Кремл": ("Москва", "RUS"), "Kreml": ("Moskva", "RUS"),
    "Куксарой": ("Тошкент", "UZB"), "Kuksaroy": ("Toshkent", "UZB"), "Kuksaroy qarorgohi": ("Toshkent", "UZB"),
    "Қасри Миллат": ("Душанбе", "TJK"), "Кохи Навруз": ("Душанбе", "TJK"), "Кохи Наврӯз": ("Душанбе", "TJK"),
    "Ынтымак ордо": ("Бишкек", "KGZ"), "Ала-Арча": ("Бишкек", "KGZ"),
    "人民大会堂": ("北京", "CHN"), "钓鱼台国宾馆": ("北京", "CHN"), "中南海": ("北京", "CHN"),
}

# Which tables to try for an article language; unknown languages try everything.
_SCRIPT_GROUPS = {
    "cyrillic": ["ru", "kk", "ky", "uz-Cyrl", "tg"],
    "latin": ["en", "uz"],
    "han": ["zh"],
}
_LANGUAGE_SCRIPT = {"en": "latin", "uz": "latin", "ru": "cyrillic", "kk": "cyrillic", "ky": "cyrillic",
                    "tg": "cyrillic", "uz-Cyrl": "cyrillic", "zh": "han"}


@dataclass(frozen=True)
class Lexicon:
    """The compiled trigger table of one language (``en`` keeps the original English rules)."""

    language: str
    visit: re.Pattern[str]
    host: re.Pattern[str]
    meet: re.Pattern[str]
    planned: re.Pattern[str]
    cancelled: re.Pattern[str]
    postponed: re.Pattern[str]
    historical: re.Pattern[str]
    denial: re.Pattern[str]
    visit_noun: re.Pattern[str] | None = None
    topic_before: re.Pattern[str] | None = None
    topic_after: re.Pattern[str] | None = None
    destination: str = "after"
    locative: re.Pattern[str] | None = None
    locative_suffix: re.Pattern[str] | None = None
    source: re.Pattern[str] | None = None
    source_suffix: re.Pattern[str] | None = None
    cased: bool = False
    marker_before: re.Pattern[str] | None = None
    case_suffix: re.Pattern[str] | None = None
    direction_before: re.Pattern[str] | None = None
    direction_suffix: re.Pattern[str] | None = None
    clause_break: re.Pattern[str] | None = None

    @property
    def english(self) -> bool:
        return self.language == "en"


ENGLISH = Lexicon("en", EN_VISIT, EN_HOST, EN_MEET, EN_PLANNED, EN_CANCELLED, EN_POSTPONED, EN_HISTORICAL,
                  EN_NEGATED)


def _alternation(parts: list[str], script: str) -> re.Pattern[str]:
    """One pattern matching any of ``parts`` as whole words (no word boundaries in Chinese)."""
    body = "|".join(f"(?:{p})" for p in parts) or r"(?!x)x"
    if script == "han":
        return re.compile(f"({body})")
    return re.compile(rf"(?<![\w'])({body})(?![\w'])", re.I)


def _optional(parts: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in parts), re.I) if parts else None


def _optional_one(pattern: object) -> re.Pattern[str] | None:
    return re.compile(str(pattern), re.I) if pattern else None


@cache
def lexicon(language: str) -> Lexicon:
    """The compiled table for ``language`` ("en", "ru", "kk", "ky", "uz", "uz-Cyrl", "tg", "zh")."""
    if language == "en":
        return ENGLISH
    table = TABLES[language]
    script = str(table["script"])

    def words(key: str) -> list[str]:
        value = table[key]
        assert isinstance(value, list)
        return [str(v) for v in value]

    return Lexicon(
        language=language,
        visit=_alternation(words("visit"), script),
        host=_alternation(words("host"), script),
        meet=_alternation(words("meet"), script),
        planned=_alternation(words("planned"), script),
        cancelled=_alternation(words("cancelled"), script),
        postponed=_alternation(words("postponed"), script),
        historical=_alternation(words("historical"), script),
        denial=_alternation(words("denial"), script),
        visit_noun=_alternation(words("visit_noun"), script),
        topic_before=re.compile("(?:" + "|".join(words("topic_before")) + r")$", re.I)
        if words("topic_before") else None,
        topic_after=_optional(words("topic_after")),
        destination=str(table["destination"]),
        locative=_optional_one(table["locative"]),
        locative_suffix=_optional_one(table["locative_suffix"]),
        source=_optional_one(table["source"]),
        source_suffix=_optional_one(table["source_suffix"]),
        cased=bool(table["cased"]),
        marker_before=_optional_one(table.get("marker_before")),
        case_suffix=_optional_one(table.get("case_suffix")),
        direction_before=_optional_one(table.get("direction_before")),
        direction_suffix=_optional_one(table.get("direction_suffix")),
        clause_break=_optional_one(table["clause_break"]),
    )


def lexicons_for(language: str | None) -> list[Lexicon]:
    """Tables to try for an article: its language first, then the same script, else all."""
    script = _LANGUAGE_SCRIPT.get(language or "")
    if script is None:
        names = ["en", *[n for group in _SCRIPT_GROUPS.values() for n in group if n != "en"]]
    else:
        group = _SCRIPT_GROUPS[script]
        names = [language or "", *[n for n in group if n != language]]
    return [lexicon(n) for n in names]
