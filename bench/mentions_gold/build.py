#!/usr/bin/env python3
"""Build dev.jsonl / holdout.jsonl from inline-annotated source sentences.

Markup: [surface|ISO3|kind]; for pairs: [中哈|CHN+KAZ|pair] (one mention per
country, same text and start).  Offsets are computed here, never by hand.
Text outside brackets is left unannotated (including deliberate negatives).
"""
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"\[([^\[\]|]+)\|([A-Z+]+)\|([a-z]+)\]")

DATA = {
"dev": {
"ru": [
"Президент [Казахстана|KAZ|name] Касым-Жомарт Токаев прибыл в [Пекин|CHN|capital] с государственным визитом, в ходе которого стороны обсудят расширение [казахстанско|KAZ|adjective]-[китайского|CHN|adjective] торгово-экономического сотрудничества, сообщает пресс-служба [Акорды|KAZ|metonym].",
"В [Кремле|RUS|metonym] заявили, что переговоры с [узбекской|UZB|adjective] делегацией пройдут в закрытом формате, а итоговое заявление будет опубликовано на русском и узбекском языках.",
"По данным Бюро национальной статистики, в первом полугодии в [Казахстан|KAZ|name] въехали более 420 тысяч [узбекистанцев|UZB|demonym] и около 180 тысяч [россиян|RUS|demonym], тогда как число выехавших за рубеж [казахстанцев|KAZ|demonym] выросло на 7%.",
"Через сухой порт в [Хоргосе|KAZ|city] на границе с [Китаем|CHN|name] с начала года прошло свыше 200 тысяч контейнеров, сообщили в национальной железнодорожной компании.",
"Аким [Шымкента|KAZ|city] провел встречу с [турецкими|TUR|adjective] инвесторами, которые намерены построить в городе текстильную фабрику по образцу предприятий в [Бурсе|TUR|city] и [Стамбуле|TUR|city].",
"В [Оше|KGZ|city] и [Джалал-Абаде|KGZ|city] открылись новые пункты пропуска на [кыргызско|KGZ|adjective]-[узбекской|UZB|adjective] границе, через которые ежедневно смогут проходить до пяти тысяч человек.",
"Глава МИД [Российской Федерации|RUS|name] заявил, что [Москва|RUS|capital] готова содействовать урегулированию ситуации на [таджикско|TJK|adjective]-[афганской|AFG|adjective] границе в рамках ОДКБ и ШОС.",
"[Сирийские|SYR|adjective] правительственные войска при поддержке [российской|RUS|adjective] авиации продолжают операцию в окрестностях [Алеппо|SYR|city], передает корреспондент агентства из [Дамаска|SYR|capital].",
"Первый в этом году грузовой поезд из [Казани|RUS|city] в [Термез|UZB|city] доставил 40 контейнеров с оборудованием для [узбекистанских|UZB|adjective] текстильных предприятий.",
"Ученые [новосибирского|RUS|city] Академгородка и [ташкентского|UZB|city] Института ядерной физики подписали меморандум о совместных исследованиях в области медицинских изотопов.",
"[Туркменистан|TKM|name] за девять месяцев экспортировал в [КНР|CHN|name] около 25 млрд кубометров газа, добытого в основном на месторождениях близ [Мары|TKM|city], сообщает [туркменское|TKM|adjective] государственное информагентство.",
"В [Бухаре|UZB|city] и [Самарканде|UZB|city] за первое полугодие побывали более 1,2 млн иностранных туристов; больше всего среди них [россияне|RUS|demonym], [казахстанцы|KAZ|demonym] и [китайцы|CHN|demonym].",
"Премьер-министр [Кыргызстана|KGZ|name] провел в [Бишкеке|KGZ|capital] переговоры с делегацией [китайской|CHN|adjective] корпорации по строительству железной дороги [Китай|CHN|name] – [Кыргызстан|KGZ|name] – [Узбекистан|UZB|name].",
"Пограничная служба [Таджикистана|TJK|name] сообщила о задержании в окрестностях [Худжанда|TJK|city] двенадцати [кыргызстанцев|KGZ|demonym], пытавшихся незаконно пересечь границу; [Бишкек|KGZ|capital] направил в [Душанбе|TJK|capital] ноту.",
"[Китайские|CHN|adjective] инвесторы вложат 1,5 млрд долларов в строительство газохимического комплекса под [Актау|KAZ|city], следует из сообщения министерства энергетики [Республики Казахстан|KAZ|name].",
"Посол [Турции|TUR|name] в [Туркменистане|TKM|name] обсудил с хякимом [Туркменабата|TKM|city] открытие [турецкого|TUR|adjective] культурного центра и прямого авиарейса в [Анкару|TUR|capital].",
"Неизвестные распространяют в соцсетях на казахском и русском языках ложные сообщения о закрытии границы, предупредили в пограничной службе КНБ.",
"Глава [Белого дома|USA|metonym] провел телефонный разговор с президентом [Узбекистана|UZB|name], в ходе которого обсуждались поставки [американского|USA|adjective] оборудования и ситуация в [Афганистане|AFG|name].",
"В [Караганде|KAZ|city] прошел горнорудный форум с участием компаний из [Германии|DEU|name], [Южной Кореи|KOR|name] и [Японии|JPN|name]; представители [мюнхенской|DEU|city] фирмы показали новую технологию обогащения угля.",
"Число [таджиков|TJK|demonym], работающих в [России|RUS|name], по итогам года превысило миллион человек, при этом объем денежных переводов в долларах и рублях сократился на 12%.",
"Транзит [узбекских|UZB|adjective] грузов через [туркменский|TKM|adjective] порт [Туркменбаши|TKM|city] и [азербайджанский|AZE|adjective] порт [Баку|AZE|capital] вырос в полтора раза по сравнению с прошлым годом.",
"В [Нукусе|UZB|city] открылся завод по производству кальцинированной соды, построенный [китайскими|CHN|adjective] подрядчиками; продукция будет поставляться в [Казахстан|KAZ|name] и [Афганистан|AFG|name].",
"Экспорт [кыргызстанской|KGZ|adjective] сельхозпродукции в страны ЕАЭС за девять месяцев вырос на 18%, а основная часть поставок [ошских|KGZ|city] и [джалал-абадских|KGZ|city] фермеров пришлась на [российский|RUS|adjective] рынок.",
"[Кремль|RUS|metonym] приветствовал решение [Астаны|KAZ|capital] увеличить транзит [российской|RUS|adjective] нефти в [Китай|CHN|name], заявил журналистам пресс-секретарь президента [РФ|RUS|name].",
"Председатель [КНР|CHN|name] Си Цзиньпин встретился в [Урумчи|CHN|city] с главами [кыргызского|KGZ|adjective] и [таджикского|TJK|adjective] правительств, сообщает агентство Синьхуа.",
"Синоптики прогнозируют аномальную жару в Центральной Азии: в ближайшие дни температура воздуха превысит 45 градусов, а над Каспийским морем усилится ветер.",
"Делегации [Афганистана|AFG|name], [Пакистана|PAK|name] и [Индии|IND|name] прибыли в [Ашхабад|TKM|capital] на заседание руководящего комитета газопровода ТАПИ, [туркменский|TKM|adjective] участок которого уже построен.",
"[Узбекистан|UZB|name] рассматривает Трансафганский коридор как кратчайший выход к портам Индийского океана через [пакистанские|PAK|adjective] [Карачи|PAK|city] и [Гвадар|PAK|city].",
"Более 300 [китайцев|CHN|demonym], работающих на нефтяных месторождениях в [Казахстане|KAZ|name], вернутся на родину из-за истечения контрактов; их заменят [казахстанские|KAZ|adjective] специалисты, сообщили в акимате [Кызылорды|KAZ|city].",
"[Украинское|UKR|adjective] зерно, вывозимое через черноморские порты, проходит инспекцию в [Стамбуле|TUR|city], где работает координационный центр с участием представителей [России|RUS|name], [Украины|UKR|name], [Турции|TUR|name] и ООН.",
],
"zh": [
"国家主席习近平在[人民大会堂|CHN|metonym]同[哈萨克斯坦|KAZ|name]总统托卡耶夫举行会谈。两国元首一致同意推动[中哈|CHN+KAZ|pair]永久全面战略伙伴关系不断迈上新台阶。",
"[中方|CHN|side]愿同[吉方|KGZ|side]一道，加快推进[中吉乌|CHN+KGZ+UZB|pair]铁路项目建设，打造连接[中国|CHN|name]与中亚、西亚的国际运输新通道。",
"[哈萨克斯坦共和国|KAZ|name]交通部表示，今年前8个月经[多斯特克|KAZ|city]和[阿腾科里|KAZ|city]口岸过境的集装箱数量同比增长22%，其中大部分货物发往[乌兹别克斯坦|UZB|name]和[土库曼斯坦|TKM|name]。",
"来自[塔吉克斯坦|TJK|name]、[吉尔吉斯斯坦|KGZ|name]等国的200余家企业参加了在[乌鲁木齐|CHN|city]开幕的商品博览会，展品涵盖农产品、纺织品和矿产品等多个领域。",
"[塔方|TJK|side]高度赞赏[中方|CHN|side]在[杜尚别|TJK|capital]援建的议会大楼和政府办公楼项目，表示愿深化[中塔|CHN+TJK|pair]各领域务实合作。",
"[俄方|RUS|side]表示，[克里姆林宫|RUS|metonym]高度重视[中俄|CHN+RUS|pair]新时代全面战略协作伙伴关系，双方将在上合组织框架内加强协调配合。",
"作为[中巴|CHN+PAK|pair]经济走廊起点，[喀什|CHN|city]综合保税区今年进出口额突破百亿元，主要贸易伙伴包括[吉尔吉斯斯坦|KGZ|name]和[阿富汗|AFG|name]。",
"[乌兹别克斯坦|UZB|name]总统米尔济约耶夫在[撒马尔罕|UZB|city]会见[中国|CHN|name]外交部长王毅。王毅表示，[中乌|CHN+UZB|pair]关系处于历史最好时期，[中方|CHN|side]支持[乌方|UZB|side]走符合本国国情的发展道路。",
"外交部发言人表示，[中方|CHN|side]始终致力于劝和促谈，愿继续同[乌方|UKR|side]和[俄方|RUS|side]保持沟通。[乌克兰|UKR|name]外长日前应邀访问[广州|CHN|city]，这是[中乌|CHN+UKR|pair]两国外长近两年来首次面对面会晤。",
"[土耳其|TUR|name]总统埃尔多安在[安卡拉|TUR|capital]会见[中国|CHN|name]外长时表示，[土方|TUR|side]愿同[中方|CHN|side]加强“中间走廊”同“一带一路”倡议对接，推动[中土|CHN+TUR|pair]关系持续发展。",
"[土库曼斯坦|TKM|name]总统在[阿什哈巴德|TKM|capital]会见[中方|CHN|side]代表团时表示，[土方|TKM|side]愿扩大向[中国|CHN|name]的天然气出口，推动[中土|CHN+TKM|pair]能源合作提质升级。",
"[吉尔吉斯共和国|KGZ|name]总统扎帕罗夫在[比什凯克|KGZ|capital]表示，[奥什|KGZ|city]至[喀什|CHN|city]的公路改造工程完工后，将大幅提升[吉方|KGZ|side]的过境运输能力。",
"[美方|USA|side]近日宣布对部分[中国|CHN|name]企业加征关税。外交部发言人表示，[中美|CHN+USA|pair]经贸关系的本质是互利共赢，如果[美方|USA|side]一意孤行，我方将坚决反制。",
"据统计，该市今年接待游客人数突破千万人次，其中来自西方国家的游客同比增长三成，旅游收入以美元计算增长约25%。",
"[蒙方|MNG|side]愿同[中方|CHN|side]、[俄方|RUS|side]共同推进[中蒙俄|CHN+MNG+RUS|pair]经济走廊建设，[蒙古国|MNG|name]总理在[乌兰巴托|MNG|capital]接受记者采访时说。",
"[日本|JPN|name]外相访问[塔什干|UZB|capital]期间表示，[日方|JPN|side]将向[乌兹别克斯坦共和国|UZB|name]提供约300亿日元贷款，用于[布哈拉|UZB|city]的供水设施改造。",
"从[西安|CHN|city]始发的一列货运班列满载汽车配件，经[霍尔果斯|CHN|city]口岸出境，预计7天后抵达[哈萨克斯坦|KAZ|name]最大城市[阿拉木图|KAZ|city]。",
"在[哈萨克斯坦|KAZ|name]南部城市[奇姆肯特|KAZ|city]，由[中国|CHN|name]企业承建的炼油厂现代化改造项目顺利完工，年加工能力提升至600万吨。",
"[哈萨克斯坦|KAZ|name]总统府[阿克奥尔达|KAZ|metonym]发布消息称，托卡耶夫总统签署法令，批准[哈中|KAZ+CHN|pair]关于互免签证的协定。",
"[俄哈|RUS+KAZ|pair]地方合作论坛在[卡拉干达|KAZ|city]举行，来自[俄罗斯联邦|RUS|name]70多个联邦主体的代表出席，签署合作文件总额超过20亿美元。",
"国务院总理在[中南海|CHN|metonym]会见来访的[土库曼斯坦|TKM|name]副总理，双方就天然气管道建设和能源合作交换了意见。",
"[美国|USA|name]总统在[白宫|USA|metonym]会见中亚五国元首，宣布将扩大在关键矿产领域的投资，此举引发西方媒体广泛关注。",
"由[中国|CHN|name]企业承建的[塔吉克斯坦共和国|TJK|name]南部一条铁路已完成全部土方工程，[塔方|TJK|side]交通部长对工程进度表示满意。",
"[中塔|CHN+TJK|pair]合资企业在[苦盏|TJK|city]建成的水泥厂正式投产，产品将供应[塔吉克斯坦|TJK|name]北部和[乌兹别克斯坦|UZB|name]市场。",
"来自[新疆|CHN|city][伊宁|CHN|city]的农产品企业负责人表示，今年向[哈萨克斯坦|KAZ|name]出口的苹果和番茄同比增长四成，[哈方|KAZ|side]客商对产品质量评价很高。",
"在[莫斯科|RUS|capital]举行的汉语比赛上，来自[俄罗斯|RUS|name]各地的大学生用流利的中文发表演讲，其中不少人曾在[哈尔滨|CHN|city]留学。",
"[叙利亚|SYR|name]外长在[大马士革|SYR|capital]表示，[叙方|SYR|side]感谢[中方|CHN|side]提供的人道主义援助，[阿勒颇|SYR|city]地震灾区重建工作正在有序推进。",
"[墨西哥|MEX|name]和中美洲多国近日遭遇强降雨，[中国|CHN|name]政府宣布向受灾国家提供紧急人道主义援助，首批救灾物资已从[深圳|CHN|city]启运。",
"第二届[中国|CHN|name]—中亚峰会在[阿斯塔纳|KAZ|capital]举行，各方签署了永久睦邻友好合作条约，并就加强互联互通达成广泛共识。",
"[乌兹别克斯坦|UZB|name]旅游部长在[上海|CHN|city]举行的推介会上表示，美丽的[撒马尔罕|UZB|city]和[希瓦|UZB|city]古城欢迎[中国|CHN|name]游客，[乌方|UZB|side]已对[中国|CHN|name]公民实行免签政策。",
],
"en": [
"[Kazakh|KAZ|adjective] President Kassym-Jomart Tokayev hosted [Chinese|CHN|adjective] Premier Li Qiang in [Astana|KAZ|capital] on Tuesday, [Akorda|KAZ|metonym] said, with the two sides signing deals worth $6 billion in energy and transport.",
"[Uzbekistan|UZB|name] plans to double textile exports to [Russia|RUS|name] and [Turkey|TUR|name] by 2026, a deputy minister told reporters in [Tashkent|UZB|capital], speaking in Russian through an interpreter.",
"The [Kremlin|RUS|metonym] said on Friday that talks with [Kyrgyz|KGZ|adjective] officials on extending a gas pipeline to [Osh|KGZ|city] had made progress, but gave no timeline.",
"Freight volumes through the [Khorgos|KAZ|city] dry port on [Kazakhstan|KAZ|name]'s border with [China|CHN|name] rose 15% in the first half, the operator said.",
"[Tajiks|TJK|demonym] and [Uzbeks|UZB|demonym] working in [Moscow|RUS|capital] sent home less money this year as the rouble weakened against the dollar, central bank data showed.",
"[Turkish|TUR|adjective] and [Russian|RUS|adjective] officials met in [Istanbul|TUR|city] to discuss the situation around [Aleppo|SYR|city], where [Syrian|SYR|adjective] government forces have been reinforcing positions.",
"Leaders of the Shanghai Cooperation Organisation will meet next month to discuss regional security in Central Asia, a spokesperson for the bloc's secretariat said in a statement.",
"[Turkmenistan|TKM|name] will expand gas exports to [China|CHN|name] and is in talks with [Afghanistan|AFG|name] and [Pakistan|PAK|name] on the long-delayed TAPI pipeline, state media in [Ashgabat|TKM|capital] reported.",
"A [Chinese|CHN|adjective] consortium will build a 1-gigawatt solar plant near [Samarkand|UZB|city], while [Tajikistan|TJK|name] has invited foreign investors to bid for a similar project outside [Khujand|TJK|city].",
"More than 40,000 [Kazakhstanis|KAZ|demonym] travelled to [China|CHN|name] in the first month of the visa-free regime, with [Urumqi|CHN|city] and [Beijing|CHN|capital] the most popular destinations.",
"The [White House|USA|metonym] said [U.S.|USA|name] officials would visit [Dushanbe|TJK|capital] and [Bishkek|KGZ|capital] next week to discuss border security along the [Afghan|AFG|adjective] frontier.",
"Trucks carrying [Chinese|CHN|adjective] electronics now reach [Tashkent|UZB|capital] via [Kashgar|CHN|city] and [Osh|KGZ|city] in under four days, shippers said, offering an alternative to long sea routes across the Indian Ocean.",
],
"kk": [
"[Қазақстан|KAZ|name] Президенті Қасым-Жомарт Тоқаев [Ақордада|KAZ|metonym] [Қытай|CHN|name] Сыртқы істер министрін қабылдады, деп хабарлайды Мемлекет басшысының баспасөз қызметі.",
"Биыл алғашқы тоғыз айда [Шымкентке|KAZ|city] [Өзбекстаннан|UZB|name], [Түркиядан|TUR|name] және [Қырғызстаннан|KGZ|name] 300 мыңнан астам шетелдік турист келді, бұл өткен жылғы көрсеткіштен 25 пайызға көп, деп хабарлады қала әкімдігі.",
"[Ресейлік|RUS|adjective] компания [Қарағандыда|KAZ|city] жүк вагондарын жасайтын зауыт салады, жоба құны 40 миллиард теңгеге бағаланады, ал оның өнімі [Қазақстан|KAZ|name] мен [Өзбекстан|UZB|name] нарығына жеткізіледі.",
"Халықаралық жиын қазақ, орыс және ағылшын тілдерінде өтті, оған ШЫҰ мен ТМД елдерінің сыртқы саяси ведомстволарының өкілдері, сондай-ақ сарапшылар мен журналистер қатысты.",
"[Қытайдан|CHN|name] келетін жүк пойыздары [Қорғас|KAZ|city] құрғақ порты арқылы [Ақтау|KAZ|city] портына жетеді, ал одан әрі жүктер Каспий теңізі арқылы [Әзербайжанға|AZE|name] және [Түркияға|TUR|name] жөнелтіледі.",
"Өткен жылы [Мәскеуде|RUS|capital] тұратын [қазақстандықтар|KAZ|demonym] саны екі есеге өсті, ал [Астанада|KAZ|capital] жұмыс істейтін [қытайлықтар|CHN|demonym] саны 15 пайызға артты.",
],
"uz": [
"Prezident Shavkat Mirziyoyev [Toshkentda|UZB|capital] [Xitoy Xalq Respublikasi|CHN|name] tashqi ishlar vazirini qabul qildi. Uchrashuvda [oʻzbek|UZB|adjective]-[xitoy|CHN|adjective] strategik sherikligini chuqurlashtirish masalalari muhokama qilindi.",
"Bu yil [Samarqand|UZB|city] va [Buxoroga|UZB|city] [Rossiya|RUS|name], [Qozogʻiston|KAZ|name] va [Turkiyadan|TUR|name] 1 milliondan ortiq sayyoh tashrif buyurdi.",
"[Xitoylik|CHN|adjective] kompaniya [Termizda|UZB|city] yiliga 1 million tonna quvvatga ega sement zavodi quradi, mahsulotlarning bir qismi [Afgʻonistonga|AFG|name] va [Tojikistonga|TJK|name] eksport qilinadi.",
"Anjuman rus va oʻzbek tillarida oʻtkazildi, unda ShHT va MDH ijroiya organlari vakillari ishtirok etdi.",
"[Kreml|RUS|metonym] matbuot kotibining soʻzlariga koʻra, [Rossiya|RUS|name] prezidenti kelasi oy [Oʻzbekistonga|UZB|name] davlat tashrifi bilan keladi va [Samarqandda|UZB|city] muzokaralar oʻtkazadi.",
"O'tgan yili [Qozog'istonda|KAZ|name] ishlagan [o'zbekistonliklar|UZB|demonym] soni 20 foizga oshgan bo'lsa, [Rossiyadagi|RUS|name] mehnat muhojirlari soni kamaydi, deb xabar berdi Migratsiya agentligi.",
],
},
"holdout": {
"ru": [
"Президенты [Узбекистана|UZB|name] и [Кыргызстана|KGZ|name] подписали в [Ташкенте|UZB|capital] договор об [узбекско|UZB|adjective]-[кыргызской|KGZ|adjective] государственной границе, положивший конец многолетним спорам вокруг приграничных водохранилищ и пастбищ.",
"По информации [Акорды|KAZ|metonym], глава государства провел в [Астане|KAZ|capital] переговоры с премьер-министром [Монголии|MNG|name], посвященные запуску прямого авиасообщения между [Улан-Батором|MNG|capital] и [Алматы|KAZ|city].",
"Более 50 тысяч [узбеков|UZB|demonym] выехали на сезонные работы в [Южную Корею|KOR|name] и [Великобританию|GBR|name] по программам организованного трудового найма, сообщило агентство внешней трудовой миграции при [узбекском|UZB|adjective] правительстве.",
"[Российские|RUS|adjective] железнодорожники запустили контейнерный сервис из [Новосибирска|RUS|city] в [Алматы|KAZ|city] и [Бишкек|KGZ|capital]; первый поезд преодолел маршрут за шесть суток.",
"В [Кремле|RUS|metonym] опровергли сообщения западных СМИ о якобы готовящемся визите президента [Туркменистана|TKM|name] в [Москву|RUS|capital] в конце месяца.",
"[Китайская|CHN|adjective] компания построит в [Джизаке|UZB|city] завод по выпуску электромобилей мощностью 50 тысяч машин в год; первая партия будет отправлена в [Казахстан|KAZ|name] и [Азербайджан|AZE|name].",
"Власти [Кашгара|CHN|city] и [Оша|KGZ|city] договорились об открытии регулярного автобусного сообщения через высокогорный перевал, сообщают [кыргызские|KGZ|adjective] СМИ со ссылкой на мэрию.",
"Пассажиропоток [самаркандского|UZB|city] аэропорта за год вырос вдвое благодаря рейсам из [Стамбула|TUR|city], [Дубая|ARE|city] и [Казани|RUS|city], сообщило [узбекское|UZB|adjective] министерство транспорта.",
"Очередной раунд переговоров по [Сирии|SYR|name] с участием делегаций [России|RUS|name], [Ирана|IRN|name] и [Турции|TUR|name] пройдет в [Астане|KAZ|capital]; представители [Дамаска|SYR|capital] и вооруженной оппозиции подтвердили участие.",
"Число [кыргызстанцев|KGZ|demonym], получивших [российское|RUS|adjective] гражданство в прошлом году, выросло на 15%, а [таджикистанцев|TJK|demonym] — почти на четверть, свидетельствуют данные МВД [РФ|RUS|name].",
"[Туркменский|TKM|adjective] газ начал поступать в [Турцию|TUR|name] по своп-схеме через территорию [Ирана|IRN|name], сообщили в [Ашхабаде|TKM|capital]; объемы поставок пока не раскрываются.",
"Энергетики [Таджикистана|TJK|name] начали летний экспорт электроэнергии в [Афганистан|AFG|name] и [Узбекистан|UZB|name]; по словам министра, в паводковый период [таджикская|TJK|adjective] энергосистема имеет избыток мощностей.",
"[Бухарские|UZB|city] ремесленники представили свои изделия на выставке в [Париже|FRA|capital], организованной при поддержке посольства [Узбекистана|UZB|name] во [Франции|FRA|name].",
"[Казахстанская|KAZ|adjective] нефть марки CPC Blend, отгружаемая через [новороссийский|RUS|city] терминал, подешевела на фоне ограничений на [российском|RUS|adjective] побережье Черного моря.",
"Делегация из [Урумчи|CHN|city] посетила [Шымкент|KAZ|city], где обсудила создание совместного логистического центра для грузов, следующих из [Китая|CHN|name] в [Иран|IRN|name] и [Турцию|TUR|name].",
"Заседание Совета министров иностранных дел СНГ пройдет в режиме видеоконференции; рабочими языками станут русский и английский, сообщили в исполкоме Содружества.",
"[Немецкий|DEU|adjective] банк развития выделит [Кыргызстану|KGZ|name] 20 млн евро на модернизацию систем водоснабжения в [Караколе|KGZ|city] и [Нарыне|KGZ|city]; работы будут вести [турецкие|TUR|adjective] подрядчики.",
"Президент [США|USA|name] провел в [Нью-Йорке|USA|city] встречу с лидерами пяти центральноазиатских государств; по данным [Белого дома|USA|metonym], стороны обсудили поставки критически важных минералов.",
"Первый контейнерный поезд из [Сианя|CHN|city] прибыл в [грузинский|GEO|adjective] порт [Поти|GEO|city], проследовав через [Казахстан|KAZ|name], Каспийское море и [Азербайджан|AZE|name].",
"[Таджики|TJK|demonym] и [узбеки|UZB|demonym] по-прежнему составляют большинство трудовых мигрантов в [Москве|RUS|capital] и [Санкт-Петербурге|RUS|city], говорится в докладе научно-исследовательского института.",
"В [Дашогузе|TKM|city] завершено строительство больницы, возведенной [японской|JPN|adjective] компанией; церемония открытия прошла с участием посла [Японии|JPN|name] в [Туркменистане|TKM|name].",
"Фермеры [Ферганы|UZB|city] и [Андижана|UZB|city] начали экспорт черешни в [Китай|CHN|name] грузовыми самолетами через [урумчинский|CHN|city] аэропорт; [китайские|CHN|adjective] покупатели готовы закупить до 10 тысяч тонн [узбекской|UZB|adjective] ягоды.",
"Пресс-секретарь [Кремля|RUS|metonym] сообщил, что встреча с [казахстанским|KAZ|adjective] лидером запланирована на полях саммита ШОС в [Тяньцзине|CHN|city].",
"[Казахстан|KAZ|name] ввел шестимесячный запрет на вывоз сахара автотранспортом после резкого роста цен, вызванного массовыми закупками [кыргызских|KGZ|adjective] и [узбекских|UZB|adjective] оптовиков.",
"В [Хиве|UZB|city] прошел международный фестиваль народной музыки, в котором приняли участие коллективы из [Индии|IND|name], [Египта|EGY|name] и [Италии|ITA|name], а среди зрителей было много [казахстанцев|KAZ|demonym] и [туркмен|TKM|demonym].",
"Гуманитарный конвой [Казахстана|KAZ|name] доставил в [Алеппо|SYR|city] 40 тонн продовольствия для [сирийских|SYR|adjective] семей; груз прошел через территорию [Турции|TUR|name], сообщили в МИД [РК|KAZ|name].",
"[Афганские|AFG|adjective] власти и [узбекская|UZB|adjective] энергокомпания подписали соглашение о строительстве ЛЭП до [Кабула|AFG|capital], а в перспективе стороны намерены проложить железную дорогу к портам Индийского океана.",
"Таможня [китайского|CHN|adjective] города [Хоргос|CHN|city] сообщила, что с начала года через местный сухопутный порт проследовали семь тысяч поездов в [Казахстан|KAZ|name], [Узбекистан|UZB|name] и страны Европы.",
"[Пакистанская|PAK|adjective] авиакомпания возобновила рейсы из [Лахора|PAK|city] в [Ташкент|UZB|capital] после трехлетнего перерыва, сообщили в посольстве [Узбекистана|UZB|name] в [Исламабаде|PAK|capital].",
"Посольство [России|RUS|name] в [Бишкеке|KGZ|capital] напомнило [россиянам|RUS|demonym] о новых правилах регистрации, а [кыргызстанцам|KGZ|demonym], выезжающим в [Россию|RUS|name], рекомендовало заранее оформить патент.",
],
"zh": [
"[吉尔吉斯共和国|KGZ|name]总统扎帕罗夫抵达[北京|CHN|capital]，对[中国|CHN|name]进行国事访问。访问期间，两国元首将在[人民大会堂|CHN|metonym]举行会谈，共同规划[中吉|CHN+KGZ|pair]关系未来发展。",
"[中吉乌|CHN+KGZ+UZB|pair]铁路项目[吉尔吉斯斯坦|KGZ|name]境内段开工仪式在南部城市[贾拉拉巴德|KGZ|city]附近举行，[乌方|UZB|side]代表也应邀出席了仪式。",
"[哈方|KAZ|side]介绍说，[哈萨克斯坦|KAZ|name]境内的[霍尔果斯|KAZ|city]陆港今年集装箱吞吐量有望突破50万标箱，大部分货物来自[中国|CHN|name]。",
"[塔吉克斯坦共和国|TJK|name]总统拉赫蒙在[杜尚别|TJK|capital]会见[中国|CHN|name]国务委员时表示，[塔方|TJK|side]愿同[中方|CHN|side]加强执法安全合作，共同维护地区和平稳定。",
"[克里姆林宫|RUS|metonym]发言人佩斯科夫表示，[俄罗斯|RUS|name]总统将出席在[天津|CHN|city]举行的上合组织峰会，并同[中方|CHN|side]领导人举行双边会晤。",
"据[哈萨克斯坦|KAZ|name]媒体报道，[中哈|CHN+KAZ|pair]第三条跨境铁路——[巴克图|CHN|city]至[阿亚古兹|KAZ|city]铁路项目建设正在加速推进。",
"国务院副总理在[中南海|CHN|metonym]会见[乌兹别克斯坦共和国|UZB|name]副总理，双方同意进一步扩大[中乌|CHN+UZB|pair]农产品贸易规模。",
"[中美|CHN+USA|pair]两国元首在[旧金山|USA|city]会晤后，[美方|USA|side]宣布恢复部分对话机制，[中方|CHN|side]对此表示欢迎，并敦促对方将承诺落到实处。",
"[中方|CHN|side]特使访问[基辅|UKR|capital]，同[乌方|UKR|side]就政治解决危机深入交换意见，并表示[中乌|CHN+UKR|pair]友好的基础没有改变。",
"[中土|CHN+TUR|pair]建交纪念活动在[伊斯坦布尔|TUR|city]举行，[土方|TUR|side]官员表示愿同[中方|CHN|side]扩大旅游和民航合作，并欢迎更多[中国|CHN|name]游客赴[土耳其|TUR|name]观光。",
"[土库曼斯坦|TKM|name]民族领袖在[阿什哈巴德|TKM|capital]会见[中国|CHN|name]企业代表，强调[中土|CHN+TKM|pair]天然气合作是两国关系的压舱石，[土方|TKM|side]愿加快新气田开发。",
"[吉方|KGZ|side]透露，[比什凯克|KGZ|capital]至[卡拉科尔|KGZ|city]的公路改造项目将由一家[中国|CHN|name]企业承建，预计三年内完工，这是[中吉|CHN+KGZ|pair]共建“一带一路”的又一重点项目。",
"[伊朗|IRN|name]外长在[德黑兰|IRN|capital]表示，[伊方|IRN|side]愿借助经[土库曼斯坦|TKM|name]的铁路通道扩大与[中国|CHN|name]的贸易往来，并已就过境运价同[土方|TKM|side]达成一致。",
"会议期间，各方围绕能源转型、气候变化和粮食安全等议题深入交换意见，与会代表一致认为，多边合作是应对共同挑战的有效途径。",
"[韩国|KOR|name]总统访问[阿斯塔纳|KAZ|capital]期间，[韩方|KOR|side]与[哈方|KAZ|side]签署了关键矿产供应链合作备忘录，两国还商定在[阿拉木图|KAZ|city]设立联合技术中心。",
"[巴基斯坦|PAK|name]总理表示，[巴方|PAK|side]希望加快建设经[阿富汗|AFG|name]连接[乌兹别克斯坦|UZB|name]的铁路，使中亚国家经[卡拉奇|PAK|city]港进入印度洋。",
"满载电子产品的班列从[重庆|CHN|city]出发，经[阿拉山口|CHN|city]出境，将在15天内抵达[乌兹别克斯坦|UZB|name]首都[塔什干|UZB|capital]。",
"[中国|CHN|name]企业在[哈萨克斯坦|KAZ|name]里海港口城市[阿克套|KAZ|city]投资建设的集装箱枢纽正式启用，年设计吞吐能力为24万标箱。",
"[阿克奥尔达|KAZ|metonym]新闻处消息称，托卡耶夫总统与[俄罗斯|RUS|name]总统通电话，双方讨论了[俄哈|RUS+KAZ|pair]能源合作问题。",
"[哈中|KAZ+CHN|pair]合作委员会第十二次会议在[阿拉木图|KAZ|city]举行，会议审议了农业、交通和人文领域的合作成果。",
"[乌鲁木齐|CHN|city]国际机场新开通至[撒马尔罕|UZB|city]和[奇姆肯特|KAZ|city]的直飞航线，每周各执行两个往返航班，[乌方|UZB|side]和[哈方|KAZ|side]民航部门均派员出席了首航仪式。",
"[白宫|USA|metonym]发言人表示，[美国|USA|name]将继续向[乌克兰|UKR|name]提供援助，但援助金额以美元计算较去年有所下降。",
"[中乌|CHN+UZB|pair]合资的纺织工业园在[乌兹别克斯坦|UZB|name]东部城市[纳曼干|UZB|city]投产，产品主要出口[俄罗斯|RUS|name]和[土耳其|TUR|name]。",
"由[中方|CHN|side]援建的职业技能培训中心在[塔吉克斯坦|TJK|name]北部城市[苦盏|TJK|city]落成，首批招收的300名学员中有三分之一为女性。",
"[吉尔吉斯斯坦|KGZ|name]教育部决定在部分中小学增设汉语课程，同时保留俄语教学，以满足同[中国|CHN|name]和[俄罗斯|RUS|name]经贸往来的人才需求。",
"[新疆|CHN|city][霍尔果斯|CHN|city]市今年以来接待出入境旅客逾百万人次，其中[哈萨克斯坦|KAZ|name]籍旅客占比超过七成。",
"[阿富汗|AFG|name]临时政府代表在[喀布尔|AFG|capital]表示，希望[中国|CHN|name]企业参与[马扎里沙里夫|AFG|city]至[铁尔梅兹|UZB|city]铁路的改造工程。",
"越来越多的[中国|CHN|name]游客选择前往[吉尔吉斯斯坦|KGZ|name]，欣赏那里美丽的雪山和湖泊；[吉方|KGZ|side]数据显示，今年前9个月入境的[中国|CHN|name]游客同比增长六成。",
"[中俄|CHN+RUS|pair]东线天然气管道今年向[中国|CHN|name]输气量创新高，[俄方|RUS|side]表示愿在此基础上推进新的管道项目。",
"《[中华人民共和国|CHN|name]和[哈萨克斯坦共和国|KAZ|name]联合声明》全文发布。声明指出，双方将继续在联合国、上合组织等多边框架内密切协作。",
],
"en": [
"[Russian|RUS|adjective] President Vladimir Putin arrived in [Dushanbe|TJK|capital] for a summit of ex-Soviet states, the [Kremlin|RUS|metonym] said, his first trip to [Tajikistan|TJK|name] in five years.",
"[Kazakhstan|KAZ|name]'s oil exports via the CPC terminal near [Novorossiysk|RUS|city] fell 8% in May after storms disrupted loadings, traders said.",
"[Uzbek|UZB|adjective] and [Afghan|AFG|adjective] officials signed a framework deal in [Termez|UZB|city] for a railway to [Kabul|AFG|capital] that would eventually reach [Pakistan|PAK|name]'s ports on the Arabian Sea.",
"The [Kyrgyz Republic|KGZ|name] will hold talks with [Chinese|CHN|adjective] lenders on restructuring its debt, the finance ministry in [Bishkek|KGZ|capital] said, adding that documents would be published in Kyrgyz and Russian.",
"[U.S.|USA|name] President Joe Biden hosted Central Asian leaders at the [White House|USA|metonym], where [Kazakh|KAZ|adjective] and [Uzbek|UZB|adjective] firms signed agreements on critical minerals.",
"[Turkey|TUR|name] has tightened visa rules for [Turkmens|TKM|demonym] after thousands overstayed, many of them working illegally in [Istanbul|TUR|city] and [Antalya|TUR|city], officials in [Ankara|TUR|capital] said.",
"Wheat prices in Central Asia rose for a third straight week as drought hit the harvest, traders said, while freight rates on the Caspian route held steady.",
"[Azerbaijan|AZE|name] and [Kazakhstan|KAZ|name] agreed to boost cargo on the Middle Corridor, with shipments from [Aktau|KAZ|city] to [Baku|AZE|capital] expected to double by 2027.",
"Leaders from five Central Asian nations gathered in the ancient city of [Xi'an|CHN|city] for a summit with [China|CHN|name], whose trade with the region has more than doubled in a decade.",
"Remittances from [Uzbeks|UZB|demonym] working abroad hit a record $14.8 billion last year, with [Russia|RUS|name] and [Kazakhstan|KAZ|name] the top sources, [Uzbekistan|UZB|name]'s central bank said.",
"[Russian|RUS|adjective] and [Kyrgyz|KGZ|adjective] troops held joint drills near [Karakol|KGZ|city] this week, the defence ministry in [Moscow|RUS|capital] said.",
"[Kazakhstan|KAZ|name] ended cooperation with the mine operator after a fire near [Karaganda|KAZ|city] killed 46 workers, the government in [Astana|KAZ|capital] said, citing repeated safety violations.",
],
"kk": [
"[Ақорданың|KAZ|metonym] хабарлауынша, Мемлекет басшысы [Түрікменстан|TKM|name] Президентімен телефон арқылы сөйлесіп, [Ашхабадта|TKM|capital] өтетін саммитке шақыруды қабылдады және [Қазақстан|KAZ|name] – [Түрікменстан|TKM|name] шекарасындағы сауда аймағын дамыту мәселесін талқылады.",
"[Бішкекте|KGZ|capital] өткен екі күндік бизнес-форумға [қазақстандық|KAZ|adjective] және [қырғызстандық|KGZ|adjective] 150-ден астам компания қатысып, жалпы құны 500 миллион доллардан асатын келісімдерге қол қойды, деп хабарлады [Қырғызстан|KGZ|name] Экономика министрлігі.",
"[Үрімшіден|CHN|city] [Алматыға|KAZ|city] тұрақты әуе рейсі ашылды: [қытайлық|CHN|adjective] әуе компаниясы аптасына үш рет ұшады, ал келесі жылы [Қытай|CHN|name] мен [Қазақстан|KAZ|name] арасындағы рейстер саны екі есеге артады деп күтілуде.",
"Жиынға Орталық Азия елдерінің экологтары мен ғалымдары қатысып, Каспий теңізіндегі экологиялық ахуалды, су тапшылығын және климаттың өзгеруіне бейімделу мәселелерін талқылады.",
"Биыл [Түркістанға|KAZ|city] [Түркиядан|TUR|name] келген туристер саны 40 пайызға артты, себебі [Ыстамбұлдан|TUR|city] тікелей рейстер ашылып, [түрік|TUR|adjective] туроператорлары қаланың тарихи орындарына арнайы турлар ұйымдастыра бастады.",
"[Ресейде|RUS|name] тұратын [қазақстандықтардың|KAZ|demonym] саны соңғы екі жылда азайды, ал [Өзбекстаннан|UZB|name] келген еңбек мигранттары [Шымкент|KAZ|city] пен [Алматыда|KAZ|city] айтарлықтай көбейді, деп хабарлады Еңбек министрлігі.",
],
"uz": [
"[Qirgʻiziston|KGZ|name] Prezidenti [Toshkentga|UZB|capital] rasmiy tashrif bilan keldi; tomonlar [Oʻsh|KGZ|city] – [Andijon|UZB|city] avtomobil yoʻlini rekonstruksiya qilish boʻyicha kelishuvga erishdi.",
"[Turkmaniston|TKM|name] gazini [Xitoyga|CHN|name] yetkazib beruvchi quvurning [oʻzbek|UZB|adjective] uchastkasida taʼmirlash ishlari yakunlandi, deb xabar berdi [Oʻzbekiston|UZB|name] Energetika vazirligi.",
"[Oq uy|USA|metonym] maʼlumotiga koʻra, [AQSH|USA|name] prezidenti Markaziy Osiyo yetakchilari bilan uchrashuvda [Oʻzbekiston|UZB|name] bilan noyob metallar boʻyicha bitim imzoladi.",
"Markaziy bank yigʻilishida dollar kursi, inflyatsiya darajasi va Markaziy Osiyo mintaqasidagi suv tanqisligining iqtisodiyotga taʼsiri masalalari atroflicha muhokama qilindi.",
"[Qozog'istonlik|KAZ|adjective] investorlar [Farg'onada|UZB|city] qiymati 60 million dollarlik to'qimachilik fabrikasi qurmoqda, tayyor mahsulotlar [Turkiya|TUR|name] va Yevropa bozorlariga eksport qilinadi.",
"Bu yil [Xivaga|UZB|city] kelgan [xitoyliklar|CHN|demonym] soni ikki baravar oshdi, chunki [Pekin|CHN|capital] va [Urumchidan|CHN|city] toʻgʻridan-toʻgʻri reyslar yoʻlga qoʻyildi.",
],
},
}

ORDER = ["ru", "zh", "en", "kk", "uz"]


def parse(src):
    out, mentions, pos = [], [], 0
    for m in MARK.finditer(src):
        out.append(src[pos:m.start()])
        start = sum(len(s) for s in out)
        surface, codes, kind = m.group(1), m.group(2), m.group(3)
        for code in codes.split("+"):
            mentions.append({"text": surface, "start": start, "iso3": code, "kind": kind})
        out.append(surface)
        pos = m.end()
    out.append(src[pos:])
    text = "".join(out)
    if "[" in text or "]" in text or "|" in text:
        raise ValueError("leftover markup: " + src)
    return text, mentions


def main():
    for split, langs in DATA.items():
        tag = "dev" if split == "dev" else "ho"
        with open(HERE / f"{split}.jsonl", "w", encoding="utf-8") as f:
            for lang in ORDER:
                for i, src in enumerate(langs[lang], 1):
                    text, mentions = parse(src)
                    rec = {"id": f"{lang}-{tag}-{i:02d}", "language": lang,
                           "text": text, "mentions": mentions}
                    f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
