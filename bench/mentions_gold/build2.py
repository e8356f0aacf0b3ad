#!/usr/bin/env python3
"""Build holdout2.jsonl from inline-annotated sentences.

Markup: {surface|ISO3|k} where k is one of
  n=name a=adjective d=demonym c=capital y=city m=metonym s=side
and {surface|ISO3+ISO3[+ISO3]|p} for pairs/triples (one mention per country,
all sharing the same text and start). Offsets are computed here, never by hand.
"""
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
KIND = {"n": "name", "a": "adjective", "d": "demonym", "c": "capital", "y": "city",
        "m": "metonym", "s": "side", "p": "pair"}
TAG = re.compile(r"\{([^|{}]+)\|([A-Z]{3}(?:\+[A-Z]{3})*)\|([a-z])\}")

RU = [
 "{Казахстанские|KAZ|a} и {китайские|CHN|a} железнодорожники в первом полугодии отправили через станцию {Достык|KAZ|y} более 1,2 млн тонн грузов; значительная часть контейнеров следовала из {Сианя|CHN|y} в порт {Актау|KAZ|y} и далее через Каспий в {Баку|AZE|c}, сообщает пресс-служба национальной компании.",
 "В {Оше|KGZ|y} задержаны двое граждан {Таджикистана|TJK|n}, пытавшихся провезти через пункт пропуска на {кыргызско|KGZ|a}-{узбекской|UZB|a} границе партию контрабандных сигарет из {Андижана|UZB|y}, сообщили в пограничной службе {Кыргызстана|KGZ|n}.",
 "Министр энергетики {Республики Узбекистан|UZB|n} заявил, что поставки {туркменского|TKM|a} газа в {Ташкент|UZB|c} и {Самарканд|UZB|y} этой зимой будут увеличены, а {российская|RUS|a} сторона подтвердила готовность прокачивать дополнительные объемы через территорию {Казахстана|KAZ|n}.",
 "Около 1,3 млн {узбекистанцев|UZB|d} в прошлом году выезжали на заработки в {Россию|RUS|n}, еще десятки тысяч трудятся в {Южной Корее|KOR|n} и {Турции|TUR|n}; объем денежных переводов, по данным регулятора, составил почти 14 млрд долларов.",
 "{Кремль|RUS|m} приветствовал договоренность о строительстве {российскими|RUS|a} специалистами атомной станции малой мощности в {Джизакской|UZB|y} области, сообщил пресс-секретарь президента {РФ|RUS|n}, уточнив, что генподрядчиком проекта выступит Росатом.",
 "{Бишкек|KGZ|c} и {Душанбе|TJK|c} завершили описание последних спорных участков {кыргызско|KGZ|a}-{таджикской|TJK|a} границы в районе {Баткена|KGZ|y} и {Исфары|TJK|y}, после чего жители приграничных сел смогут беспрепятственно пользоваться водой из общего канала, сообщает АКИpress.",
 "Новый учебник истории издан на казахском и русском языках тиражом 50 тысяч экземпляров и в сентябре поступит в школы {Павлодара|KAZ|y}, {Кокшетау|KAZ|y} и {Усть-Каменогорска|KAZ|y}, сообщили в министерстве просвещения республики.",
 "{Туркменские|TKM|a} пограничники вместе с {афганскими|AFG|a} коллегами провели рабочую встречу на мосту у {Серхетабада|TKM|y}, обсудив охрану участка, по которому пройдет трасса газопровода ТАПИ из {Туркменистана|TKM|n} в {Пакистан|PAK|n} и {Индию|IND|n}.",
 "Цены на бензин в {Киргизии|KGZ|n} выросли на 7% после того, как {российские|RUS|a} нефтеперерабатывающие заводы сократили экспорт; трейдеры из {Бишкека|KGZ|c} ищут альтернативные поставки из {Казахстана|KAZ|n} через {Тараз|KAZ|y}, а в {Нарыне|KGZ|y} и {Караколе|KGZ|y} на заправках образовались очереди.",
 "Сборная {Узбекистана|UZB|n} по футболу обыграла команду {Ирана|IRN|n} со счетом 2:1 на стадионе «Миллий» в {Ташкенте|UZB|c}, а {иранские|IRN|a} болельщики, прилетевшие чартерами из {Мешхеда|IRN|y} и {Тебриза|IRN|y}, поддерживали свою команду до последней минуты.",
 "Делегация {Синьцзяна|CHN|y} во главе с партийным секретарем посетила {Алматы|KAZ|y} и {Шымкент|KAZ|y}, где обсудила с {казахстанскими|KAZ|a} предпринимателями поставки плодоовощной продукции в {Кашгар|CHN|y} и {Кульджу|CHN|y}.",
 "В рамках ШОС и СНГ обсуждаются различные инициативы, однако эксперты отмечают, что региональные интеграционные объединения пока не выработали единого подхода к проблеме нехватки воды в Центральной Азии.",
 "{Таджикские|TJK|a} энергетики ввели в строй третий агрегат крупнейшей в стране ГЭС, и летом {Таджикистан|TJK|n} сможет экспортировать электроэнергию в {Афганистан|AFG|n} и {Узбекистан|UZB|n}, а в {Бохтаре|TJK|y} и {Кулябе|TJK|y} прекратятся веерные отключения.",
 "Пресс-служба {Акорды|KAZ|m} сообщила, что глава государства провел телефонный разговор с президентом {Монголии|MNG|n}; стороны договорились запустить регулярный авиарейс между {Улан-Батором|MNG|c} и {Семеем|KAZ|y}, который будут выполнять {монгольские|MNG|a} перевозчики.",
 "Экспорт {кыргызской|KGZ|a} черешни в {Китай|CHN|n} вырос вдвое, однако {джалал-абадские|KGZ|y} фермеры жалуются на длительные фитосанитарные проверки в {Артуше|CHN|y}, куда продукция поступает после таможенного оформления на границе.",
 "Представитель {Кремля|RUS|m} сообщил, что {российско|RUS|a}-{китайский|CHN|a} товарооборот по итогам года превысил 240 млрд долларов, причем почти все расчеты теперь ведутся в рублях и юанях, как следует из данных {китайской|CHN|a} таможни.",
 "Власти {Туркменистана|TKM|n} открыли после реконструкции международный аэропорт {Туркменбаши|TKM|y}, откуда начнутся регулярные рейсы в {Стамбул|TUR|y} и {Казань|RUS|y}; первым пассажирским рейсом на побережье прибыли {турецкие|TUR|a} туристы.",
 "{Оренбургские|RUS|y} и {актюбинские|KAZ|y} аграрии договорились о совместной борьбе с саранчой, которая этим летом уничтожила часть посевов в приграничных районах {России|RUS|n} и {Казахстана|KAZ|n}, сообщает Казинформ.",
 "В {Хороге|TJK|y} прошел фестиваль памирской музыки: вместе с {таджикистанцами|TJK|d} на сцену вышли исполнители из {Афганистана|AFG|n}, {Пакистана|PAK|n} и {Китая|CHN|n}, а часть программы впервые шла на таджикском и английском языках.",
 "{Китайцы|CHN|d} и {казахстанцы|KAZ|d} с ноября смогут находиться на территории друг друга до 30 дней без визы, а число рейсов между {Пекином|CHN|c} и {Астаной|KAZ|c} планируется довести до ежедневных, говорится в совместном заявлении.",
 "Более 200 {кыргызстанцев|KGZ|d}, застрявших на {казахстанско|KAZ|a}-{российской|RUS|a} границе из-за новых правил въезда, были вывезены автобусами в {Екатеринбург|RUS|y} и {Новосибирск|RUS|y}, сообщило посольство республики в {Москве|RUS|c}.",
 "{Туркмены|TKM|d} и {узбеки|UZB|d}, живущие по обе стороны Амударьи, традиционно отмечают Навруз вместе; в этом году праздничные гуляния в {Дашогузе|TKM|y} и {Ургенче|UZB|y} собрали тысячи гостей, в том числе из {Хивы|UZB|y}.",
 "МИД {Казахстана|KAZ|n} выразил обеспокоенность обострением обстановки в Персидском заливе и призвал {казахстанских|KAZ|a} граждан временно воздержаться от поездок в {Иран|IRN|n} и {Ирак|IRQ|n}.",
 "{Пакистанская|PAK|a} компания подписала соглашение о поставках риса в {Узбекистан|UZB|n} по маршруту {Пешавар|PAK|y} — {Кабул|AFG|c} — {Мазари-Шариф|AFG|y} — {Термез|UZB|y}, который должен открыть странам региона кратчайший путь к портам Индийского океана.",
 "{Американские|USA|a} и {японские|JPN|a} инвесторы проявили интерес к месторождениям редкоземельных металлов в {Карагандинской|KAZ|y} области, сообщил вице-министр, добавив, что в {Вашингтоне|USA|c} и {Токио|JPN|c} уже прошли презентации проектов.",
 "{Узбекская|UZB|a} и {кыргызская|KGZ|a} стороны согласовали график попусков воды на вегетационный период: {Ташкент|UZB|c} поставит соседям электроэнергию, а {Бишкек|KGZ|c} обеспечит подачу воды на поля {Наманганской|UZB|y} и {Андижанской|UZB|y} областей.",
 "{Россиянам|RUS|d}, желающим отдохнуть в {Чолпон-Ате|KGZ|y}, в этом сезоне предложат прямые рейсы из {Омска|RUS|y} и {Самары|RUS|y} в аэропорт {Тамчы|KGZ|y}, сообщили в министерстве туризма {Кыргызской Республики|KGZ|n}.",
 "{Белый дом|USA|m} объявил о выделении дополнительных средств на программы по борьбе с наркотрафиком в {Таджикистане|TJK|n} и {Киргизии|KGZ|n}, в ответ {российские|RUS|a} эксперты заявили, что ОДКБ располагает собственными механизмами защиты границ.",
 "Пассажирский поезд {Астана|KAZ|c} — {Урумчи|CHN|y} возобновил курсирование после пятилетнего перерыва; среди пассажиров первого рейса было много {китайцев|CHN|d}, а объявления в вагонах звучат на казахском, русском и китайском языках.",
 "{Азербайджанские|AZE|a} и {грузинские|GEO|a} железнодорожники вместе с {казахстанскими|KAZ|a} партнерами договорились о единых сквозных тарифах на Транскаспийском маршруте, связывающем {Китай|CHN|n} с Европой в обход территории {России|RUS|n}.",
 "Эксперты Евразийского банка развития прогнозируют, что рост экономик региона в следующем году замедлится до 4,5% на фоне снижения мировых цен на сырье и ужесточения денежно-кредитной политики.",
 "Специалисты из {Германии|DEU|n} и {Франции|FRA|n} помогут восстановить саксауловые леса на осушенном дне Аральского моря в окрестностях {Нукуса|UZB|y} и {Муйнака|UZB|y}, а {немецкий|DEU|a} фонд выделит на проект 20 млн евро, сообщает Kun.uz.",
 "Посольство {КНР|CHN|n} в {Бишкеке|KGZ|c} призвало {китайских|CHN|a} граждан соблюдать меры безопасности после нападения местных жителей на рабочих горнорудной компании в {Нарынской|KGZ|y} области.",
 "Трудовые мигранты — в основном {таджики|TJK|d} и {киргизы|KGZ|d} — составляют более половины работников строительных компаний {Санкт-Петербурга|RUS|y}, однако после ужесточения миграционных правил многие уехали в {Южную Корею|KOR|n} или вернулись домой.",
 "{Бухарские|UZB|y} и {самаркандские|UZB|y} ремесленники представили свои изделия на выставке в {Измире|TUR|y}, где {турецкие|TUR|a} покупатели особенно заинтересовались шелковыми коврами ручной работы и чеканной посудой.",
 "Президент {Туркмении|TKM|n} Сердар Бердымухамедов принял в {Ашхабаде|TKM|c} делегацию {Республики Корея|KOR|n}; обсуждались проекты в газохимии и поставки {корейского|KOR|a} оборудования для нового завода в {Балканабаде|TKM|y}.",
 "{Узбекистанцы|UZB|d} с 1 января смогут оформлять электронную визу в {Японию|JPN|n}, сообщило {японское|JPN|a} посольство в {Ташкенте|UZB|c}; ранее аналогичный порядок был введен для граждан {Казахстана|KAZ|n} и {Кыргызстана|KGZ|n}.",
 "{Китайско|CHN|a}-{таджикское|TJK|a} совместное предприятие запустило цементный завод под {Душанбе|TJK|c}, продукция которого будет поставляться также в {афганские|AFG|a} провинции {Балх|AFG|y} и {Кундуз|AFG|y}, сообщает информационное агентство «Ховар».",
 "В {Оксарое|UZB|m} состоялись переговоры президента с губернатором {Челябинской|RUS|y} области, по итогам которых подписаны соглашения на 1,5 млрд долларов о поставках {узбекского|UZB|a} текстиля из {Карши|UZB|y} и {российского|RUS|a} зерна.",
 "Весенне-полевые работы в регионе начались раньше обычного: по данным метеорологов, средняя температура в марте превысила норму на три градуса, а запасы снега в горах оказались на треть меньше прошлогодних.",
]

ZH = [
 "新华社{阿斯塔纳|KAZ|c}3月5日电 {哈萨克斯坦|KAZ|n}总统在{阿克套|KAZ|y}视察港口时表示，{哈方|KAZ|s}愿同{中方|CHN|s}一道，扩大经里海运往{阿塞拜疆|AZE|n}的集装箱运量。",
 "{吉尔吉斯共和国|KGZ|n}总统扎帕罗夫日前在{比什凯克|KGZ|c}会见{中国|CHN|n}企业代表时表示，{中吉乌|CHN+KGZ+UZB|p}铁路项目将带动{纳伦|KGZ|y}州和{贾拉拉巴德|KGZ|y}州的经济发展。",
 "{乌兹别克斯坦|UZB|n}外交部发言人表示，{乌方|UZB|s}高度重视同{中方|CHN|s}在新能源领域的合作，{中乌|CHN+UZB|p}企业在{撒马尔罕|UZB|y}和{布哈拉|UZB|y}建设的光伏电站已陆续并网发电。",
 "{乌克兰|UKR|n}农业部数据显示，今年前五个月{乌方|UKR|s}对{中国|CHN|n}出口玉米同比增长12%，{中乌|CHN+UKR|p}粮食贸易在{俄乌|RUS+UKR|p}冲突背景下仍保持稳定。",
 "{土耳其|TUR|n}文化和旅游部日前宣布，为庆祝{中土|CHN+TUR|p}建交周年，{土方|TUR|s}将在{伊兹密尔|TUR|y}举办{中国|CHN|n}文化周，其中包括书法展、美食节和传统音乐演出。",
 "据{土库曼斯坦|TKM|n}国家通讯社报道，{中土|CHN+TKM|p}天然气合作委员会会议在{阿什哈巴德|TKM|c}举行，{土方|TKM|s}表示将加快{马雷|TKM|y}州复兴气田三期开发，增加对{中国|CHN|n}的供气量。",
 "{连云港|CHN|y}港口物流园扩建项目日前完成主体土方工程，建成后将进一步提升从{西安|CHN|y}、{郑州|CHN|y}发往{阿拉木图|KAZ|y}和{塔什干|UZB|c}的集装箱中转能力。",
 "{巴基斯坦|PAK|n}计划和发展部表示，{中巴|CHN+PAK|p}经济走廊框架下的{瓜达尔|PAK|y}新国际机场已投入运营，{巴方|PAK|s}希望借此打通连接{阿富汗|AFG|n}和中亚国家通往印度洋的通道。",
 "{巴西|BRA|n}农业部长在{北京|CHN|c}表示，{巴方|BRA|s}愿扩大大豆和牛肉对{中国|CHN|n}出口，{中巴|CHN+BRA|p}贸易额今年有望突破1800亿美元。",
 "{蒙古国|MNG|n}副总理表示，{蒙方|MNG|s}正加快推进{中蒙俄|CHN+MNG+RUS|p}经济走廊中线铁路升级改造，力争使经{二连浩特|CHN|y}进出口货物的通关时间缩短一半。",
 "今年上半年，{新疆|CHN|y}对中亚五国进出口总值同比增长28%，其中对{哈萨克斯坦|KAZ|n}、{吉尔吉斯斯坦|KGZ|n}贸易增长最为明显，{乌鲁木齐|CHN|y}、{阿克苏|CHN|y}和{库尔勒|CHN|y}的外贸企业数量持续增加。",
 "{哈密|CHN|y}至{吐鲁番|CHN|y}的风电外送通道日前全面贯通，所发电力将输往中东部省份；项目团队中有多名来自{哈萨克斯坦|KAZ|n}和{俄罗斯|RUS|n}的工程师。",
 "上合组织秘书处日前在官网发布消息称，各方同意在打击跨国犯罪、禁毒和网络安全领域深化合作，并计划于年内举行联合演习。",
 "专家指出，各国中央和地方政府应在法律框架内解决分歧，双方通过对话协商化解矛盾，才能为地区的和平、稳定与美好未来作出贡献。",
 "东盟与欧亚经济联盟日前举行视频会议，其中心议题是数字经济和物流领域合作，与会代表分别使用英语和俄语进行了交流。",
 "{克里姆林宫|RUS|m}发言人佩斯科夫表示，{俄方|RUS|s}对{俄哈|RUS+KAZ|p}两国能源合作进展感到满意，{哈萨克斯坦|KAZ|n}石油经{新罗西斯克|RUS|y}港出口的运输保持正常。",
 "{塔吉克斯坦共和国|TJK|n}总统拉赫蒙在{人民大会堂|CHN|m}出席欢迎仪式后，双方签署了{中塔|CHN+TJK|p}关于新时代全面战略合作伙伴关系的联合声明，{塔方|TJK|s}重申坚定支持一个{中国|CHN|n}原则。",
 "在{中南海|CHN|m}紫光阁，{中方|CHN|s}同{吉方|KGZ|s}就{奥什|KGZ|y}至{喀什|CHN|y}公路改造和边境口岸扩能进行了深入交流，{吉尔吉斯斯坦|KGZ|n}客人对合作成果表示赞赏。",
 "{白宫|USA|m}宣布对部分{中国|CHN|n}商品加征关税后，{美方|USA|s}与{中方|CHN|s}在{日内瓦|CHE|y}举行经贸会谈，{中美|CHN+USA|p}双方同意暂停部分措施90天。",
 "受美元走强影响，{墨西哥|MEX|n}及中美洲多国货币贬值，{美国|USA|n}经济学家预计这一趋势将持续到年底，{日本|JPN|n}和{韩国|KOR|n}央行也在密切关注。",
 "{塔城|CHN|y}口岸今年通关车辆突破10万辆次，{哈方|KAZ|s}货车主要运送来自{卡拉干达|KAZ|y}和{巴甫洛达尔|KAZ|y}的小麦、葵花籽和钢材。",
 "{阿勒泰|CHN|y}地区{吉木乃|CHN|y}口岸进口的{哈萨克斯坦|KAZ|n}天然气累计突破10亿立方米，这些天然气经管道输往{克拉玛依|CHN|y}后，将供应周边城市和工业园区。",
 "来自{和田|CHN|y}的地毯和玉雕在{杜尚别|TJK|c}举办的展览上备受欢迎，{塔吉克斯坦|TJK|n}观众还可通过汉语、俄语和塔吉克语讲解了解作品背后的故事。",
 "在{杭州|CHN|y}举行的亚运会上，{吉尔吉斯斯坦|KGZ|n}摔跤选手夺得金牌，{中吉|CHN+KGZ|p}两国运动员赛后互赠纪念品并邀请对方来访，{吉方|KGZ|s}代表团团长称赞{中国|CHN|n}的赛事组织工作。",
 "{塔吉克斯坦|TJK|n}能源和水资源部表示，{中塔|CHN+TJK|p}企业在{胡占德|TJK|y}附近合作建设的灌溉泵站已投入使用，{塔方|TJK|s}官员说：“我方计划明年再建三座。”",
 "{中国|CHN|n}车企与{乌兹别克斯坦|UZB|n}合作伙伴在{安集延|UZB|y}建设的电动汽车工厂日前投产，首批车辆将销往{纳曼干|UZB|y}、{费尔干纳|UZB|y}等地，{乌方|UZB|s}希望借此带动本地零部件产业。",
 "连接{铁尔梅兹|UZB|y}、{马扎里沙里夫|AFG|y}和{白沙瓦|PAK|y}的跨{阿富汗|AFG|n}铁路项目可行性研究已经完成，{阿方|AFG|s}表示将保障施工安全，{巴方|PAK|s}则承诺提供港口便利。",
 "{伊朗|IRN|n}与{阿富汗|AFG|n}日前开通经{赫拉特|AFG|y}的货运列车，首批货物从{马什哈德|IRN|y}发出，{伊方|IRN|s}表示该线路将来可延伸至{土库曼斯坦|TKM|n}和{中国|CHN|n}。",
 "{哈萨克斯坦共和国|KAZ|n}能源部称，{阿特劳|KAZ|y}炼油厂检修完成后，{希姆肯特|KAZ|y}和{塔拉兹|KAZ|y}的汽油供应紧张局面有望缓解，{俄方|RUS|s}此前已同意临时增加成品油出口。",
 "据{哈萨克斯坦|KAZ|n}移民部门统计，去年约有8万名{俄罗斯人|RUS|d}在{阿拉木图|KAZ|y}和{阿斯塔纳|KAZ|c}办理了居留手续，另有不少人前往{格鲁吉亚|GEO|n}和{亚美尼亚|ARM|n}。",
 "联合国难民署报告显示，目前仍有约300万{阿富汗人|AFG|d}滞留在{伊朗|IRN|n}和{巴基斯坦|PAK|n}，{奎达|PAK|y}和{卡拉奇|PAK|y}周边难民营的生活条件亟待改善。",
 "今冬到{吉尔吉斯斯坦|KGZ|n}{卡拉科尔|KGZ|y}滑雪的外国游客中，{中国人|CHN|d}和{哈萨克斯坦人|KAZ|d}分别位列第二和第三，{吉方|KGZ|s}计划明年开通至{乌鲁木齐|CHN|y}的直航航班。",
 "{中俄|CHN+RUS|p}博览会在{叶卡捷琳堡|RUS|y}开幕，{俄方|RUS|s}展商带来了木材和化肥，{黑龙江|CHN|y}、{内蒙古|CHN|y}等省区的企业则展示了农产品和农业机械。",
 "{乌兹别克斯坦|UZB|n}旅游部门数据显示，美丽的{希瓦|UZB|y}古城今年接待{中国|CHN|n}游客人数翻番，{中乌|CHN+UZB|p}间新开通的{西安|CHN|y}至{乌尔根奇|UZB|y}航线功不可没。",
 "{日本|JPN|n}政府与{乌兹别克斯坦|UZB|n}签署协议，为{卡尔希|UZB|y}供水系统改造提供贷款；{日方|JPN|s}表示，这是其在中亚地区规模最大的基础设施项目之一，《人民日报》对此进行了报道。",
 "{哈萨克斯坦|KAZ|n}与{韩国|KOR|n}合拍的纪录片讲述了高丽人移民在{克孜勒奥尔达|KAZ|y}扎根的历史，主人公被当地人称为“劳动英雄”，{韩方|KOR|s}计划明年在{首尔|KOR|c}首映。",
 "{德国|DEU|n}和{法国|FRA|n}企业代表在{塔什干|UZB|c}参加国际投资论坛时表示，将在{纳沃伊|UZB|y}自由经济区投资建设化工厂，{乌方|UZB|s}承诺依据法律提供税收优惠。",
 "{土库曼巴希|TKM|y}国际海港日前迎来首列{中国|CHN|n}—{土库曼斯坦|TKM|n}—{阿塞拜疆|AZE|n}多式联运班列，{土方|TKM|s}表示将开辟至{巴库|AZE|c}的固定滚装航线。",
 "{中哈|CHN+KAZ|p}两国跨界河流专家会议在{伊宁|CHN|y}举行，双方就伊犁河、额尔齐斯河水量分配交换了意见，{哈方|KAZ|s}对{中方|CHN|s}及时通报汛情表示感谢。",
 "{俄罗斯|RUS|n}外交部发言人表示，西方国家的制裁未能阻止{俄方|RUS|s}扩大对中亚出口，今年{俄罗斯|RUS|n}经{奥伦堡|RUS|y}运往{乌兹别克斯坦|UZB|n}的粮食同比增长30%。",
]

EN = [
 "{ALMATY|KAZ|y}, May 14 (Reuters) - {Kazakhstan|KAZ|n} plans to keep oil exports via the Caspian Pipeline Consortium's terminal near {Novorossiysk|RUS|y} steady despite drone attacks, a {Kazakh|KAZ|a} energy ministry official said, adding that {Russian|RUS|a} operators had repaired damaged moorings.",
 "{Tajik|TJK|a} and {Kyrgyz|KGZ|a} border guards exchanged fire overnight near the town of {Isfara|TJK|y}, officials in {Dushanbe|TJK|c} said, while {Bishkek|KGZ|c} accused the other side of moving troops toward villages in {Batken|KGZ|y} province.",
 "Remittances from {Russia|RUS|n} to {Uzbekistan|UZB|n} fell 12% in the first quarter as fewer {Uzbeks|UZB|d} travelled for seasonal work, with many heading instead to {Britain|GBR|n}, {Germany|DEU|n} and {South Korea|KOR|n}, according to data released by the central bank in {Tashkent|UZB|c}.",
 "{URUMQI|CHN|y}, June 3 (Xinhua) -- A freight train carrying {Chinese|CHN|a}-made solar panels left {Kashgar|CHN|y} in {Xinjiang|CHN|y} for {Andijan|UZB|y} on Monday, the first service to use the new road-rail route via {Osh|KGZ|y}, as work continues on the {China|CHN|n}-{Kyrgyzstan|KGZ|n}-{Uzbekistan|UZB|n} railway.",
 "Thousands of {Afghans|AFG|d} deported from {Iran|IRN|n} and {Pakistan|PAK|n} have crossed into {Herat|AFG|y} province in recent weeks, UN agencies said, warning that the main border crossing was overwhelmed and that aid shipped via ports on the Persian Gulf had been delayed.",
 "{BAKU|AZE|c}, {Azerbaijan|AZE|n}, Oct. 2 (Trend) - {Turkmen|TKM|a} natural gas will reach {Turkish|TUR|a} consumers through {Iranian|IRN|a} pipelines under a new swap agreement, {Türkiye|TUR|n}'s energy minister said after talks in {Ashgabat|TKM|c}.",
 "The {Kremlin|RUS|m} said on Tuesday it was closely watching {Washington|USA|c}'s plans for a critical minerals deal with {Kazakhstan|KAZ|n}, after the {White House|USA|m} hosted Central Asian leaders and announced {U.S.|USA|n} investment in tungsten mining near {Karaganda|KAZ|y}.",
 "The Shanghai Cooperation Organisation and the Eurasian Economic Union both pledged support for new transport links to the Indian Ocean, though analysts said financing remained the main obstacle for landlocked members.",
 "Officials said the textbooks would be printed in Kazakh, Uzbek and Russian, and that teachers from the region would receive additional training before the new school year begins in September.",
 "{Akorda|KAZ|m} said the {Kazakh|KAZ|a} leader discussed water sharing on the Syr Darya with his {Uzbek|UZB|a} counterpart, as farmers in the {Turkestan|KAZ|y} region and around {Kyzylorda|KAZ|y} face a third straight summer of shortages.",
 "A statement posted by {Oqsaroy|UZB|m}, the presidential residence, said {Uzbek|UZB|a} and {Pakistani|PAK|a} officials agreed to launch direct flights between {Samarkand|UZB|y} and {Lahore|PAK|y}, while {Islamabad|PAK|c} offered the landlocked republic access to the port of {Karachi|PAK|y}.",
 "{Mongolian|MNG|a} and {Japanese|JPN|a} wrestlers dominated the first day of the World Nomad Games in {Astana|KAZ|c}, though thousands of {Kazakhstanis|KAZ|d} in the stands cheered loudest for a {Kyrgyz|KGZ|a} horseman from {Naryn|KGZ|y} whose team beat rivals from {Turkmenistan|TKM|n} and {Azerbaijan|AZE|n} at kok-boru.",
]


def parse(marked):
    out, mentions, pos = [], [], 0
    for m in TAG.finditer(marked):
        out.append(marked[pos:m.start()])
        start = sum(len(x) for x in out)
        surface, codes, k = m.group(1), m.group(2).split("+"), m.group(3)
        kind = KIND[k]
        if (kind == "pair") != (len(codes) > 1):
            raise ValueError(f"pair/count mismatch in {m.group(0)}")
        for c in codes:
            mentions.append({"text": surface, "start": start, "iso3": c, "kind": kind})
        out.append(surface)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if any(ch in text for ch in "{}|"):
        raise ValueError(f"leftover markup: {text}")
    for mm in mentions:
        assert text[mm["start"]:mm["start"] + len(mm["text"])] == mm["text"]
    return text, mentions


def main():
    recs = []
    for lang, items in (("ru", RU), ("zh", ZH), ("en", EN)):
        for i, marked in enumerate(items, 1):
            text, mentions = parse(marked)
            recs.append({"id": f"{lang}-h2-{i:02d}", "language": lang, "text": text, "mentions": mentions})
    with open(HERE / "holdout2.jsonl", "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(recs)} records")


if __name__ == "__main__":
    main()
