# Интерфейс аналитика Redline — русский. Каждое сообщение здесь должно быть во всех
# остальных каталогах (это проверяет модульный тест). Подстановки в { $braces } заполняет страница.

## Frame
nav-queue = Очередь оповещений
nav-screen = Проверить имя
nav-search = Поиск
nav-lists = Списки
nav-audit = Журнал аудита
who = { $label } · ключ { $key } ({ $role })
sign-out = Выйти
stale-title = Устаревшие списки
stale-text = результаты проверки основаны на устаревших данных.
stale-line = { $version } ({ $datedby } { $dated }): возраст { $days } дн., устаревает через { $after } дн.; выполните `redline lists update --source { $source }`
dated-published = опубликован
dated-loaded = загружен
refused = Отклонено: { $reason }
refused-title = Отклонено
any = любой
yes = да
no = нет
suppressed = подавлено

## Sign-in
login-title = Вход
login-key = API-ключ (роль проверяющего или администратора)
login-submit = Войти
login-err-unreadable = Не удалось прочитать форму входа.
login-err-empty = Введите API-ключ.
login-err-unchecked = Не удалось проверить ключ; повторите попытку.
login-err-role = Этот ключ не даёт права проверять оповещения: нужна роль проверяющего или администратора.
login-err-invalid = Этот API-ключ недействителен (неизвестен или отозван).
login-err-random = Система не выдаёт случайные данные; вход невозможен.
login-err-sessions = Сеансы недоступны; вход невозможен.

## Errors
err-csrf = Токен безопасности формы не соответствует вашему сеансу. Обновите страницу и повторите попытку.
err-form = Не удалось прочитать форму.
err-filters = Не удалось применить фильтры:
err-store-title = Не удалось прочитать хранилище
err-store = Хранилище вернуло ошибку:
err-no-alert-title = Оповещение не найдено
err-no-alert = Нет оповещения с таким номером:
err-no-entity-title = Объект не найден
err-no-entity = Такого объекта нет в используемых списках:
err-no-lists-title = Списки не загружены
err-no-lists = Не загружено ни одной версии списка.
err-busy-title = Сервис занят
err-busy = Сервис проверки перегружен; повторите попытку чуть позже.

## Statuses, kinds, types
status-open = открыто
status-escalated = эскалировано
status-pending-release = ожидает разрешения
status-pending-false-positive = ожидает подтверждения ложного срабатывания
status-true-match = подтверждённое совпадение
status-false-positive = ложное срабатывание
status-released = разрешено
status-blocked = заблокировано
status-all = все
kind-name = имя
kind-subject = субъект
kind-payment = платёж
kind-trade = торговая операция
schema-person = физическое лицо
schema-organization = организация
schema-vessel = судно
schema-aircraft = воздушное судно

## Queue
queue-title = Очередь оповещений
f-status = Статус
f-kind = Вид
f-list = Список
f-program = Программа
f-min-score = Оценка от
f-max-score = Оценка не выше
f-assignee = Исполнитель
f-assignee-hint = Имя или ключ проверяющего; - для оповещений, которые никто не взял
f-older = Старше (дней)
f-sort = Порядок
f-per-page = На странице
f-schema = Тип
f-submit = Применить
f-clear = Сбросить фильтры
sort-default = сначала старые (открытые), иначе сначала новые
sort-oldest = сначала старые
sort-newest = сначала новые
sort-score = сначала с высшей оценкой
sort-updated = сначала недавно изменённые
queue-total = { $count ->
    [one] { $count } оповещение
    [few] { $count } оповещения
    [many] { $count } оповещений
   *[other] { $count } оповещения
}
queue-showing = показаны { $from }–{ $to } из { $total }
queue-export = Экспортировать эти оповещения в CSV
queue-empty = Нет оповещений, соответствующих фильтрам.
bulk-assignee = Назначить отмеченные оповещения исполнителю
bulk-submit = Назначить отмеченные
bulk-hint = Отметьте оповещения в таблице ниже; оставьте имя пустым, чтобы вернуть их в очередь.
bulk-none = Отметьте хотя бы одно оповещение.
bulk-done = { $count ->
    [one] { $count } оповещение назначено исполнителю { $assignee }.
    [few] { $count } оповещения назначены исполнителю { $assignee }.
    [many] { $count } оповещений назначено исполнителю { $assignee }.
   *[other] { $count } оповещения назначено исполнителю { $assignee }.
}
bulk-returned = { $count ->
    [one] { $count } оповещение возвращено в очередь.
    [few] { $count } оповещения возвращены в очередь.
    [many] { $count } оповещений возвращено в очередь.
   *[other] { $count } оповещения возвращено в очередь.
}
bulk-failed = Не удалось назначить { $failed } из { $count }: { $errors }
col-id = #
col-kind = Вид
col-subject = Субъект
col-top-match = Лучшее совпадение
col-score = Оценка
col-status = Статус
col-assignee = Исполнитель
col-age = Срок
col-raised = Создано
col-updated = Изменено
age-days = { $days ->
    [one] { $days } день
    [few] { $days } дня
    [many] { $days } дней
   *[other] { $days } дня
}
page-first = Первая
page-previous = Предыдущая
page-next = Следующая
page-last = Последняя

## Alert
alert-title = Оповещение { $id }
d-report = Отчёт для печати
d-back = Назад к очереди
d-subject-key = Ключ субъекта
d-raised = Создано
d-raised-by = Кем создано
d-origin = { $via } ({ $by })
d-threshold = , порог { $threshold }
d-not-recorded = не записано
d-updated = Изменено
d-assignee = Исполнитель
d-nobody = не назначен
d-list-versions = Версии списков
d-list-version = Версия списка
d-payment = Платёжное сообщение
d-trade = Торговая операция
d-decision = Решение
d-message-gone = Не удалось прочитать сообщение этого решения.
d-hits = Срабатывания
d-matches = Совпадения
d-query = Запрос
d-list-entry = Запись списка
d-score = оценка
d-suppressed = подавлено: ранее признанное ложное срабатывание при неизменных данных ({ $detail })
d-suppression-detail = подавление { $id }, утвердил { $by }, { $at }
d-entity-gone = Этого объекта нет в используемых сейчас списках.
d-readings = Имя в написании другого языка, прочитанное как:
d-context = Слова рядом с именем (имеют малый вес):
d-adjustments = Признаки помимо имени
d-also-listed = Также в списках как
d-history = История проверки
d-no-history = Действий пока нет.
d-closed = Оповещение закрыто; добавлять примечания по-прежнему можно.
col-at = Время
col-reviewer = Проверяющий
col-action = Действие
col-reason-note = Причина или примечание
col-field = Поле
col-value = Значение
col-reason = Причина
col-list = Список
col-entry = Запись
col-name = Имя
col-name-type = Тип имени
col-script = Письменность
col-programmes = Программы
col-same-party = Та же сторона по признаку
col-matched-name = Совпавшее имя
col-your-words = Ваши слова
tok-query = Слово запроса
tok-list = Слово из списка
tok-how = Способ
tok-similarity = Сходство
lw-word = Слово имени из списка
lw-share = Доля веса имени
lw-role = Учтено как
lw-matched = В запросе
note-title = Примечания по делу
note-label = Добавить примечание (сохраняется в истории и журнале аудита)
note-submit = Добавить примечание
noted = Примечание добавлено к оповещению { $id }.
assign-title = Назначение
assign-to = Кому назначить
assign-submit = Назначить
assign-hint = Оставьте имя пустым, чтобы вернуть оповещение в очередь.
assigned = Оповещение { $id } назначено исполнителю { $assignee }.
assigned-none = Оповещение { $id } возвращено в очередь.
decide-title = Решение
decide-action = Действие
decide-reason = Причина (обязательно)
decide-submit = Записать решение
decided = Статус оповещения { $id }: { $status }.
hint-pending-release = Разрешение одобрил проверяющий { $first }. Чтобы провести платёж, второй проверяющий с другим ключом должен записать разрешение — или заблокировать платёж.
hint-pending-false-positive = Проверяющий { $first } признал это ложным срабатыванием. Второй проверяющий с другим ключом должен записать ложное срабатывание для подтверждения или принять иное решение.
hint-payment = Для разрешения приостановленного платежа нужны два проверяющих с разными ключами: первое разрешение ждёт второго.
hint-strong-match = Оценка лучшего совпадения — { $score }, не ниже { $bar }: для ложного срабатывания нужны два проверяющих с разными ключами.
report-title = Оповещение { $id } — отчёт с доказательствами
report-printed = Напечатано { $at } UTC, пользователь: { $by }. Чтобы распечатать или сохранить в PDF, используйте команду печати браузера.

## Evidence
date-circa = ок. { $date }
date-range = с { $from } по { $to }
field-names = Имена
field-schema = Тип
field-source = Список
field-birth-dates = Даты рождения
field-birth-places = Места рождения
field-nationalities = Национальность
field-citizenships = Гражданство
field-countries = Страны
field-gender = Пол
field-identifiers = Идентификаторы
field-addresses = Адреса
field-programs = Программы
field-listed-on = Дата включения
field-links = Связи
field-remarks = Примечания
field-reference = Ваш референс
namekind-primary = основное имя
namekind-strong-alias = сильный псевдоним
namekind-weak-alias = слабый псевдоним
namekind-former-name = прежнее имя
namekind-original-script = оригинальное написание
script-latin = латиница
script-cyrillic = кириллица
script-greek = греческое письмо
script-arabic = арабское письмо
script-han = китайские иероглифы
script-hangul = хангыль
script-kana = японская кана
script-hebrew = еврейское письмо
script-georgian = грузинское письмо
script-armenian = армянское письмо
script-devanagari = деванагари
script-thai = тайское письмо
script-mixed = смешанное
script-none = нет
script-other = другое
idkind-passport = Паспорт
idkind-national-id = Удостоверение личности
idkind-tax-id = Налоговый номер
idkind-registration = Регистрационный номер
idkind-imo = Номер IMO
idkind-mmsi = MMSI
idkind-bic = BIC
idkind-lei = LEI
idkind-crypto-address = Криптоадрес
idkind-aircraft-registration = Регистрационный знак воздушного судна
idkind-aircraft-serial = Серийный номер воздушного судна
idkind-call-sign = Позывной
how-exact = точно
how-transliteration = транслитерация
how-phonetic = созвучно
how-edit-distance = близкое написание
how-initial = инициал
how-prefix = усечённое слово
how-legal-form = та же правовая форма
how-translation = перевод
weight-identifying = идентифицирующее
weight-secondary = второстепенная часть имени
weight-descriptive = описательное
weight-generic = общее
weight-legal-form = правовая форма
weight-title = титул
context-place = место
context-title-or-office = титул или должность
context-organisation-role = роль в организации
context-address = адрес
context-care-of-marker = пометка c/o
reading-person-name-dictionary = словарь личных имён
reading-katakana = чтение катаканы
reading-hangul = чтение хангыля
reading-hebrew = чтение иврита
reading-chinese-transcription = китайская транскрипция
reading-korean-reading-of-han = корейское чтение иероглифов
reading-syllabary-letters = слоговые знаки
reading-letters = буквы
feature-address = адрес
feature-birth-date = дата рождения
feature-country = страна
feature-former-name = прежнее имя
feature-generic-only = только общие слова
feature-identifier = идентификатор
feature-identifier-conflict = противоречащий идентификатор
feature-legal-form = правовая форма
feature-rare-name-birth-date = редкое имя и дата рождения
feature-syllable-missing = пропущенный слог
feature-title = титул
feature-weak-alias = слабый псевдоним
action-escalate = эскалировать
action-true-match = подтверждённое совпадение
action-false-positive = ложное срабатывание
action-release = разрешить
action-block = заблокировать
action-assign = назначить
action-note = примечание
hit-name = имя
hit-bic = BIC
hit-lei = LEI
hit-identifier = идентификатор
hit-free-text = свободный текст
hit-imo = номер IMO
hit-country = страна
hit-region = регион
hit-error = не проверено
pay-type = Тип сообщения
pay-message-id = Идентификатор сообщения
pay-amount = Сумма
pay-role = Роль
pay-bic-account = BIC, LEI, счёт
role-debtor = дебитор (плательщик)
role-creditor = кредитор (получатель)
role-ultimate-debtor = конечный дебитор
role-ultimate-creditor = конечный кредитор
role-initiating-party = инициирующая сторона
role-debtor-agent = банк плательщика
role-creditor-agent = банк получателя
role-intermediary-agent = банк-посредник
role-instructing-agent = инструктирующий банк
role-instructed-agent = инструктируемый банк
role-ordering-customer = перевододатель (50)
role-ordering-institution = банк перевододателя (52)
role-beneficiary-customer = бенефициар (59)
role-beneficiary-institution = банк бенефициара (58)
role-account-with-institution = банк, обслуживающий счёт (57)
role-intermediary-institution = банк-посредник (56)
role-sender = отправитель
role-receiver = получатель
trade-route = Маршрут
trade-vessel = Судно
trade-hs = Код HS
trade-description = Товары
trade-quantity = Количество
trade-value = Стоимость

## Screening form
screen-title = Проверить имя
screen-name = Имя, на любой письменности
screen-birth-date = Дата рождения
screen-country = Страна
screen-raise = Создать оповещение по совпадениям
screen-submit = Проверить
screen-hint = Проверка здесь не создаёт оповещение, если не отмечен флажок; она идёт по всем используемым спискам, как проверка через API.
screen-against = Проверено по
screen-raised = Создано оповещение { $id }: открыть
screen-no-match = Нет совпадений, достигающих порога оповещения.

## Search
search-title = Поиск по спискам
search-q = Имя, его часть или номер
search-submit = Найти
search-hint = Поиск не создаёт оповещений: результаты упорядочены по тому, какую часть введённого текста объясняет каждое имя.
search-nothing = По запросу { $q } с этими фильтрами ничего не найдено.
search-total = { $count ->
    [one] { $count } результат
    [few] { $count } результата
    [many] { $count } результатов
   *[other] { $count } результата
}
search-more = (или больше: уточните поиск)
facet-lists = Списки
facet-types = Типы
facet-countries = Страны

## Entity
entity-history = По версиям списков
entity-new = Новая запись в этой версии списка.
entity-unchanged-since = Без изменений с версии списка { $version }.
entity-before = Было
entity-now = Стало
ownership-title = Владение
ownership-unlisted = Не входит ни в один список; известен из файлов о владении.
ownership-ofac = Правило OFAC 50%
ownership-eu-uk = EU/UK: во владении или под контролем
ownership-none = По признаку владения не блокируется ни по одному из правил; сигналов нет.
ownership-leads = Сигналы для проверки
ownership-lead = Сигнал
ownership-owner = Владелец
ownership-share = Доля
ownership-from = Источник
ownership-candidate = { $owner } — возможно, { $entity } ({ $id }, совпадение имени { $score })
lead-unknown-share = доля неизвестна
lead-control = контроль
lead-share-band = диапазон доли
lead-doubtful-owner = сомнительный владелец

## Lists
lists-title = Используемые списки
lists-index = Индекс: объектов — { $entities }, имён — { $names }, построен { $at } UTC.
lists-version = Версия
lists-published = Опубликовано
lists-loaded = Загружено
lists-counts = Количество
lists-warnings = Предупреждения
count-entities = объекты
count-persons = физические лица
count-organizations = организации
count-vessels = суда
count-aircraft = воздушные суда
count-names = имена
count-identifiers = идентификаторы
count-links = связи

## Audit
audit-title = Журнал аудита
audit-intact = Целостность подтверждена: записей — { $entries }, все хеш-связи верны.
audit-broken = ЦЕПОЧКА НАРУШЕНА на записи { $seq }: { $problem }
audit-verify = Проверить всю цепочку сейчас
audit-alert = Оповещение
audit-actor = Пользователь
audit-actor-label = Метка пользователя
audit-from = С (дата)
audit-to = По (дата)
audit-all-alert-actions = все действия с оповещениями
audit-total = { $count ->
    [one] { $count } запись
    [few] { $count } записи
    [many] { $count } записей
   *[other] { $count } записи
}
audit-export = Экспортировать эти записи в CSV
audit-details = Подробности
audit-hash = Хеш
audit-decide = Оповещение { $alert }: { $action } ({ $from } → { $to }). { $reason }
audit-note = Оповещение { $alert }: примечание: { $text }
audit-assign = Оповещение { $alert } назначено исполнителю { $assignee }.
audit-unassign = Оповещение { $alert } возвращено в очередь.
audit-raise = Оповещение { $alert } ({ $kind }) создано или обновлено, совпадений: { $matches }.
