"""The issue catalogue in Ukrainian: for every issue code, its title and how to fix the problem.

One entry per code, keyed like ``catalogue._TABLE``; a test checks that every catalogued code has one, so
a new code is added here with its Ukrainian title and fix (``python -m tools.ukrainian issues`` prints
the missing entries as a skeleton). The Ukrainian message of an issue is its Ukrainian title, followed by
the few safe details the English message carries (a code list's name, a line and column, a byte offset,
a limit), which ``ukrainian_message`` carries over; like the English one, it never holds a data value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

UKRAINIAN: Final[Mapping[str, tuple[str, str]]] = {
    # Reading the input
    "input.unreadable": ("Вхідні дані неможливо прочитати", "Перевірте шлях і права доступу до файлу."),
    "input.empty": ("Вхідні дані порожні", "Надайте файл, що містить документ JSON або JSON Lines."),
    "input.invalid_utf8": (
        "Це не коректний UTF-8",
        "Перекодуйте файл у UTF-8; у повідомленні зазначено зсув хибного байта.",
    ),
    "input.utf16": (
        "Вхідні дані в кодуванні UTF-16",
        "Збережіть файл у UTF-8 (з позначкою порядку байтів або без неї).",
    ),
    "input.not_json": (
        "Відображення, яке не є JSON",
        "Надайте дані у формі JSON: коди, дні й дати з часом — рядками; без NaN; ключі — лише текстові.",
    ),
    "input.not_rows": (
        "Це не рядки таблиці",
        "Надайте об'єкти JSON: їхній масив, один об'єкт або JSON Lines.",
    ),
    "input.json_syntax": ("Некоректний JSON", "Виправте синтаксис JSON у зазначених рядку та стовпці."),
    "input.truncated": ("JSON обривається передчасно", "Файл обрізано; експортуйте його ще раз."),
    "input.duplicate_key": (
        "Ключ повторюється в одному об'єкті",
        "Залиште одне значення для кожного ключа: різні парсери по-різному вирішують, яке з них чинне.",
    ),
    "input.non_finite_number": (
        "NaN або Infinity",
        "У JSON немає NaN та Infinity; натомість пропустіть поле.",
    ),
    "input.number_too_large": (
        "Завелике число",
        "Жодне поле crsvdata не приймає чисел такого розміру; перевірте експорт.",
    ),
    "input.too_deep": (
        "Надто глибока вкладеність",
        "Документи crsvdata мають лише кілька рівнів вкладеності; ці вхідні дані не є таким документом.",
    ),
    "input.too_large": (
        "Файл завеликий для одного документа",
        "Розділіть дані у формат JSON Lines (один запис на рядок).",
    ),
    "input.line_too_long": (
        "Рядок JSON Lines задовгий",
        "Один запис на рядок; рядок понад 16 МіБ не є записом.",
    ),
    "input.not_found": ("Такого файлу немає", "Перевірте шлях."),
    "input.is_directory": ("Шлях указує на теку", "Надайте файли, що містяться в ній."),
    "input.csv_syntax": (
        "CSV неможливо прочитати",
        "У кожному рядку має бути стільки клітинок, скільки в заголовку; закрийте лапки; вилучіть байти NUL.",
    ),
    "input.duplicate_column": (
        "Заголовок CSV називає стовпець двічі",
        "Перейменуйте або вилучіть один із двох стовпців: інакше незрозуміло, яка клітинка чинна.",
    ),
    "input.field_too_large": (
        "Клітинка CSV задовга",
        "Клітинка таблиці понад 128 КіБ не є квазіідентифікатором; вилучіть стовпець або скоротіть клітинку.",
    ),
    # Recognising the document
    "document.unknown_type": (
        "Це не документ crsvdata",
        "Зазначте document_type або елементи свого виду: запис справи має record_id, запис про особу — "
        "holder_organisation, пакет — package_id.",
    ),
    "document.type_mismatch": (
        "document_type суперечить елементам документа",
        "Укажіть document_type того виду, до якого належить документ, або вилучіть document_type.",
    ),
    "document.wrong_kind": (
        "Коректний документ іншого виду",
        "Команда читає записи справ (або пакет записів); надайте їй документ цього виду.",
    ),
    # Structure
    "schema.required": ("Бракує обов'язкового елемента", "Додайте елемент, на який указує вказівник."),
    "schema.additional_properties": (
        "Неочікуваний елемент",
        "Вилучіть його або звірте написання з довідником.",
    ),
    "schema.type": (
        "Хибний тип JSON (або null)",
        "Надайте тип, зазначений у довіднику; краще пропустити поле, ніж указати null.",
    ),
    "schema.enum": (
        "Код не належить до списку кодів",
        "Використайте код зі списку, названого для поля (його показує crsvdata codes show НАЗВА).",
    ),
    "schema.const": (
        "Хибне фіксоване значення",
        'Використайте значення, наведене в довіднику (наприклад, standard_version "1.0").',
    ),
    "schema.pattern": (
        "Хибний формат",
        "Запишіть значення у форматі, що його довідник визначає для цього поля.",
    ),
    "schema.format": (
        "Некоректна дата або дата й час",
        "Дати записують як РРРР-ММ-ДД; дата й час потребують зсуву від UTC (Z або +02:00).",
    ),
    "schema.min_length": ("Текст закороткий", "Надайте непорожнє значення або пропустіть поле."),
    "schema.max_length": ("Текст задовгий", "Скоротіть значення до межі, зазначеної в довіднику."),
    "schema.min_items": (
        "Список порожній",
        "Надайте принаймні один елемент або пропустіть необов'язковий список.",
    ),
    "schema.max_items": ("Список задовгий", "Розділіть дані; списки обмежено 1000 елементами."),
    "schema.minimum": ("Число замале", "Звірте значення з мінімумом, зазначеним у довіднику."),
    "schema.maximum": ("Число завелике", "Звірте значення з максимумом, зазначеним у довіднику."),
    "schema.discriminator": (
        "Невідомий тип документа",
        "Використайте один із типів документів, перелічених у довіднику.",
    ),
    "schema.any_of": (
        "Не відповідає жодній із допустимих форм",
        "Звірте значення з допустимими формами поля в довіднику.",
    ),
    "schema.one_of": (
        "Не відповідає жодній або відповідає кільком допустимим формам",
        "Звірте значення з допустимими формами поля.",
    ),
    # Code lists
    "codelist.deprecated": (
        "Застарілий код",
        "Код досі чинний; замініть його кодом, який рекомендує список кодів.",
    ),
    # Identifiers
    "identifier.rnokpp_checksum": (
        "Контрольна цифра РНОКПП не збігається",
        "Ще раз звірте податковий номер із документом.",
    ),
    "identifier.unzr_date": (
        "УНЗР містить неможливу дату",
        "Перші вісім цифр — це дата народження; перевірте їх ще раз.",
    ),
    "identifier.unzr_check_digit": (
        "Контрольна цифра УНЗР, схоже, хибна",
        "Метод обчислення контрольної цифри встановлено лише припущенням, тому це тільки попередження.",
    ),
    "identifier.phone_invalid": (
        "Некоректний номер телефону",
        "Надайте номер у форматі E.164, наприклад +380501234567.",
    ),
    "identifier.phone_not_canonical": (
        "Номер телефону не в канонічному форматі E.164",
        "Приберіть національний префікс 0 після коду країни.",
    ),
    "identifier.katotth_structure": (
        "Рівні коду КАТОТТГ не узгоджені",
        "Заповнено нижчий рівень, тоді як вищий дорівнює нулю.",
    ),
    "identifier.katotth_oblast": (
        "Невідомі цифри області в коді КАТОТТГ",
        "Дві цифри після UA мають бути одним із 27 кодів першого рівня.",
    ),
    "identifier.katotth_unknown": (
        "Коду КАТОТТГ немає в кодифікаторі",
        "Код побудовано правильно, але він не є одиницею вбудованої редакції кодифікатора (її названо "
        "в повідомленні): перевірте код.",
    ),
    # Cross-field rules
    "age.band_mismatch": ("Точний вік поза віковою групою", "Виправте вікову групу або точний вік."),
    "date.range_reversed": (
        "Проміжок дат закінчується раніше, ніж починається",
        "Поміняйте місцями або виправте початок і кінець.",
    ),
    "location.katotth_subdivision_mismatch": (
        "Код КАТОТТГ належить до іншої області",
        "Код КАТОТТГ і адміністративна одиниця мають указувати на ту саму область.",
    ),
    "location.subdivision_outside_ukraine": (
        "Українська адміністративна одиниця для місця за кордоном",
        "Вилучіть адміністративну одиницю й код КАТОТТГ або вкажіть країну UA.",
    ),
    "location.control_status_country_mismatch": (
        "Статус контролю не відповідає країні",
        "Значення outside_ukraine використовують саме для місць поза Україною, і лише для них.",
    ),
    "incident.reported_before_incident": (
        "Повідомлено раніше, ніж сталося",
        "Дата повідомлення не може передувати інциденту.",
    ),
    "incident.after_record": (
        "Інцидент пізніший за запис",
        "Інцидент не може починатися після останнього оновлення запису.",
    ),
    "incident.reported_after_record": (
        "Повідомлено пізніше за запис",
        "Дата повідомлення не може бути пізнішою за останнє оновлення запису.",
    ),
    "incident.unknown_perpetrator_ref": (
        "Діяння посилається на невідомого кривдника",
        "Внесіть кривдника до інциденту або виправте посилання.",
    ),
    "incident.duplicate_perpetrator_id": (
        "Два кривдники мають однаковий ідентифікатор",
        "Надайте кожному кривдникові власний perpetrator_id.",
    ),
    "perpetrator.identified_without_category": (
        "Встановлений кривдник без категорії",
        "Зазначте категорію кривдника.",
    ),
    "perpetrator.age_group_contradicts_minor": (
        "Вікова група суперечить позначці неповнолітності",
        "Виправте вікову групу або позначку неповнолітності.",
    ),
    "perpetrator.confidence_without_basis": (
        "Ступінь упевненості в ідентифікації без її підстави",
        "Зазначте, на чому ґрунтується ідентифікація.",
    ),
    "incident.gbvims_type_mismatch": (
        "Тип за GBVIMS суперечить діянням",
        "Використайте тип, який для цих діянь дає порядок вибору типу GBVIMS.",
    ),
    "qualification.unknown_code": (
        "Такого злочину в цьому правовому акті немає",
        "Використайте код зі списку icc_eoc_crime чи icc_related_crime або зі списку criminal_code_article.",
    ),
    "qualification.part_outside_criminal_code": (
        "Частина статті поза Кримінальним кодексом",
        "Частини мають лише статті Кримінального кодексу України; вилучіть part.",
    ),
    "qualification.status_without_date": (
        "Обвинувачення або вирок без дати",
        "Зазначте status_on — день висунення обвинувачення або ухвалення обвинувального вироку.",
    ),
    "qualification.conflict_mismatch": (
        "Воєнний злочин, передбачений для конфлікту іншого виду",
        "Використайте положення, що відповідає класифікації збройного конфлікту в інциденті.",
    ),
    "qualification.unknown_perpetrator_ref": (
        "Кваліфікація посилається на невідомого кривдника",
        "Внесіть кривдника до інциденту або виправте посилання.",
    ),
    "detention.period_reversed": (
        "Позбавлення волі закінчується раніше, ніж починається",
        "Виправте held_from або held_until.",
    ),
    "consent.recipient_missing": (
        "Згода не називає отримувача",
        "Назвіть організацію-отримувача або категорію отримувачів.",
    ),
    "consent.recipient_ambiguous": (
        "Згода називає двох отримувачів",
        "Записуйте окрему згоду для кожної організації або кожної категорії.",
    ),
    "consent.withdrawn_before_given": ("Згоду відкликано раніше, ніж надано", "Виправте дати."),
    "consent.withdrawn_not_granted": (
        "Відмову неможливо відкликати",
        "Дату відкликання має лише надана згода.",
    ),
    "consent.after_record": (
        "Згода пізніша за запис",
        "Згода не може бути датована пізніше за останнє оновлення запису.",
    ),
    "consent.minor_needs_guardian": (
        "Дитина надала згоду самостійно",
        "Зазначте згоду батьків чи опікуна або причину, з якої її не запитували.",
    ),
    "referral.outcome_before_referral": ("Результат датовано раніше за направлення", "Виправте дати."),
    "referral.outcome_date_without_outcome": (
        "Дата результату без результату",
        "Зазначте результат або вилучіть його дату.",
    ),
    "referral.without_consent": (
        "Направлення без відповідної згоди",
        "Зазначте згоду постраждалої особи на направлення до організації, яка його отримує.",
    ),
    "proceeding.erdr_year_after_registration": (
        "Рік у номері ЄРДР пізніший за реєстрацію",
        "Рік у номері ЄРДР не може бути пізнішим за дату реєстрації.",
    ),
    "proceeding.erdr_outside_ukraine": (
        "Номер ЄРДР поза українською юрисдикцією",
        "Номер ЄРДР мають лише провадження в Україні.",
    ),
    "proceeding.stage_before_registration": ("Стадію датовано раніше за реєстрацію", "Виправте дати."),
    "proceeding.unknown_incident_ref": (
        "Провадження посилається на невідомий інцидент",
        "Посилайтеся на incident_id цього запису.",
    ),
    "amount.not_positive": ("Сума не додатна", "Суми мають бути більшими за нуль."),
    "reparation.decision_before_submission": ("Рішення раніше за заяву", "Виправте дати."),
    "reparation.payment_before_decision": ("Виплата раніше за рішення", "Виправте дати."),
    "reparation.payment_without_decision": ("Виплата без рішення", "Зазначте дату рішення."),
    "record.updated_before_created": ("Оновлено раніше, ніж створено", "Виправте created_at або updated_at."),
    "record.duplicate_id": (
        "Два елементи мають однаковий ідентифікатор",
        "Надайте кожному елементу списку власний ідентифікатор.",
    ),
    # Importing Primero exports (crsvdata import primero)
    "primero.wrong_type": (
        "Значення Primero хибного типу",
        "Значення поля не має того типу JSON, якого вимагає тип поля Primero; виправте його в Primero.",
    ),
    "primero.unknown_option": (
        "Варіант, якого немає в полі Primero",
        "Використайте ідентифікатор варіанта з довідника поля або додайте для нього рядок до таблиці "
        "відповідностей.",
    ),
    "primero.impossible_date": (
        "Неможлива дата в Primero",
        "Значення не є справжньою календарною датою чи датою й часом; виправте його в Primero.",
    ),
    "primero.no_identifier": (
        "Запис Primero без ідентифікатора",
        "Експортуйте запис з його id (або unique_id), щоб його можна було простежити до джерела.",
    ),
    "primero.not_a_record": (
        "Це не запис Primero",
        "Кожен елемент має бути об'єктом запису Primero (у формі API або {id, data} експортера).",
    ),
    # Importing form submissions (crsvdata import kobo)
    "kobo.unknown_question": (
        "Відповідь на питання, якого немає у формі",
        "Ключ або стовпець не називає жодного питання форми crsvdata; його значення не імпортовано. "
        "Експортуйте подання з XML-назвами (не підписами) і назвами груп із форми, яку створив crsvdata.",
    ),
    "kobo.not_a_choice": (
        "Відповідь, якої немає серед варіантів питання",
        "Використайте назву варіанта зі списку форми (експорт з XML-значеннями, не підписами) або "
        "створіть форму заново.",
    ),
    "kobo.wrong_type": (
        "Відповідь хибного типу",
        "Відповідь не має типу питання (ціле число, дата, текст або список для повторюваної групи).",
    ),
    "kobo.impossible_date": (
        "Неможлива дата чи час",
        "Дати мають вигляд РРРР-ММ-ДД і є справжніми днями; start та end — дата й час зі зміщенням UTC.",
    ),
    "kobo.not_a_submission": (
        "Це не подання форми",
        "Дайте JSON Kobo (results з API або список подань) чи його експорт CSV цієї форми.",
    ),
    "kobo.unknown_form": (
        "Подання іншої форми",
        "Подання не відповідають ані формі справи crsvdata, ані її формі особи.",
    ),
    "kobo.time_from_server": (
        "Час запису взято із сервера",
        "Подання не має start чи end: created_at та updated_at — це _submission_time сервера Kobo (UTC).",
    ),
    # Upgrading documents (crsvdata upgrade)
    "upgrade.newer_version": (
        "Документ новіший за версію 1.1",
        "Використайте випуск crsvdata, якому відома версія документа; оновлення ніколи не повертає документ "
        "до попередньої версії.",
    ),
    "upgrade.unknown_version": (
        "Невідома версія стандарту",
        "Укажіть у standard_version версію, якої дотримується документ (1.0 або 1.1).",
    ),
    "upgrade.invalid_document": (
        "Документ некоректний",
        "Перевірте його командою crsvdata validate, виправте проблему за наведеним вказівником, "
        "а тоді оновіть.",
    ),
    # Standard 1.1: provenance, verification, affected persons, proceedings and reparations
    "record.duplicate_of_missing": (
        "Дублікат без оригіналу",
        "Назвіть у duplicate_of запис, який дублює цей, або змініть статус запису.",
    ),
    "record.duplicate_of_unexpected": (
        "Поле duplicate_of у записі, що не є дублікатом",
        "Установіть статус запису duplicate або вилучіть duplicate_of.",
    ),
    "record.duplicate_of_self": ("Запис дублює сам себе", "Назвіть у duplicate_of інший запис."),
    "reported.recipient_missing": (
        "Повідомлено деінде, але не зазначено куди",
        "Назвіть організацію або категорію органу, до якого повідомлено про випадок.",
    ),
    "reported.recipient_ambiguous": (
        "Відомість про повідомлення деінде називає двох адресатів",
        "Записуйте окремий елемент для кожної організації або кожної категорії.",
    ),
    "consent.grant_not_recorded": (
        "Надана згода без способу надання чи особи, яка її надала",
        "Зазначте, як і ким надано згоду; доти ця згода не дозволяє жодної передачі даних.",
    ),
    "verification.verified_without_date": (
        "Верифіковано без дати",
        "Зазначте день верифікації інциденту: звіт ООН рахує випадки за періодом верифікації.",
    ),
    "affected.duplicate_ref": (
        "Дві опосередковано постраждалі особи мають однакове посилання",
        "Надайте кожній опосередковано постраждалій особі власне псевдонімне посилання.",
    ),
    "affected.is_survivor": (
        "Постраждалу особу внесено як опосередковано постраждалу",
        "Записуйте постраждалу особу лише в survivor; членам сім'ї надайте власні посилання.",
    ),
    "proceeding.representative_type_without_representative": (
        "Тип представника без представника",
        "Установіть represented у true або вилучіть тип представника.",
    ),
    "proceeding.civil_claim_details_not_filed": (
        "Відомості про цивільний позов, який не подано",
        "Установіть filed у true або вилучіть дату й суму.",
    ),
    "reparation.unknown_incident_ref": (
        "Заява про репарації посилається на невідомий інцидент",
        "Посилайтеся лише на значення incident_id цього запису.",
    ),
    "reparation.rd4u_categories_outside_rd4u": (
        "Категорії Реєстру збитків у заяві до іншої програми",
        "Зазначайте категорії RD4U лише в заяві, програма якої — rd4u_claim.",
    ),
    "reparation.law_4067_outside_programme": (
        "Заява за Законом № 4067-IX в іншій програмі",
        "Запишіть заяву в межах програми за Законом № 4067-IX.",
    ),
    "reparation.law_4067_decision_before_application": ("Рішення комісії раніше за заяву", "Виправте дати."),
    "reparation.law_4067_register_date_without_entry": (
        "Дата внесення до Державного реєстру без відмітки про внесення",
        "Установіть state_register_entry у true або вилучіть дату.",
    ),
    "package.identity_outside_referral": (
        "Дані про особу поза направленням",
        "Записи про особу передають лише в пакетах, метою яких є направлення.",
    ),
    "package.identity_without_case": (
        "Запис про особу без запису її справи",
        "Додайте запис справи постраждалої особи або вилучіть запис про особу.",
    ),
    "package.duplicate_record_id": (
        "Два записи справ мають однаковий record_id",
        "Кожен запис у пакеті потребує власного record_id.",
    ),
    # Errors the library raises
    "codelist.unknown_list": (
        "Немає списку кодів із такою назвою",
        "Назви списків кодів показує команда crsvdata codes list.",
    ),
    "library.error": (
        "crsvdata зупинився",
        "Прочитайте повідомлення; якщо воно не пояснює, що виправити, повідомте про це.",
    ),
    "library.missing_extra": (
        "Необов'язкову частину crsvdata використано без її додаткового компонента",
        "Установіть додатковий компонент, названий у повідомленні, наприклад "
        "pip install 'crsvdata[testing]'.",
    ),
    "document.invalid": (
        "Документ некоректний",
        "Запустіть crsvdata validate, щоб побачити всі проблеми та їхнє місце.",
    ),
    "library.unknown_version": (
        "Немає схем для цієї версії стандарту",
        "Укажіть версію, яку містить установлений crsvdata (crsvdata schema export --help).",
    ),
    "output.not_writable": (
        "Результат неможливо записати",
        "Оберіть теку, до якої ви маєте право запису і в якій достатньо місця.",
    ),
    "disclosure.table": (
        "Таблицю підрахунків неможливо побудувати",
        "Перевірте виміри та категорії, названі в повідомленні.",
    ),
    "disclosure.audit_limit": (
        "Таблиця завелика або надто розріджена для перевірки",
        "Публікуйте менше вимірів, грубіший період або скористайтеся --method cellkey.",
    ),
    "disclosure.dp_parameter": (
        "Запитано диференційно приватну таблицю без коректної гарантії",
        "Укажіть --epsilon як скінченне число, більше за 0, і --max-units-per-person щонайменше 1.",
    ),
    "disclosure.dp_unavailable": (
        "Диференційна приватність потребує OpenDP, який не встановлено",
        'Установіть додатковий компонент: pip install "crsvdata[dp]".',
    ),
    "output.overwrites_input": (
        "Результат збігається з одним із вхідних файлів",
        "Оберіть для результату шлях, відмінний від вхідного файлу, файлу даних про особу та файлу ключа "
        "(посилання теж ураховуються).",
    ),
    "output.same_as_output": (
        "Два результати — той самий файл",
        "Укажіть різні шляхи для експорту та його маніфесту.",
    ),
    "output.is_directory": ("Результат указує на теку", "Укажіть шлях до файлу всередині теки."),
    "anonymise.error": (
        "В експорті відмовлено",
        "Прочитайте повідомлення: воно називає, що зупинило експорт.",
    ),
    "anonymise.key": (
        "Немає придатного ключа псевдонімізації",
        "Створіть ключ командою crsvdata keys new і передайте його через --key-file.",
    ),
    "anonymise.key_weak": (
        "Ключ псевдонімізації закороткий або не випадковий",
        "Створіть ключ командою crsvdata keys new: парольна фраза, слово чи шаблон ключем не є.",
    ),
    "anonymise.key_file_mode": (
        "Інші користувачі можуть читати файл ключа",
        "Виконайте chmod 600 для файлу ключа і створіть новий ключ, якщо хтось міг його скопіювати.",
    ),
    "anonymise.key_demo": (
        "Публічний демонстраційний ключ ужито без --demo",
        "Створіть справжній ключ командою crsvdata keys new; --demo передавайте лише для демонстрації "
        "на синтетичних даних.",
    ),
    "anonymise.key_exists": (
        "Файл ключа вже існує",
        "Оберіть новий шлях: crsvdata keys new ніколи не перезаписує ключ.",
    ),
    "anonymise.profile": (
        "Профіль експорту некоректний",
        "Виправте файл профілю за ключем, названим у повідомленні (документація: профілі експорту).",
    ),
    "anonymise.consent_scope": (
        "Отримувач або обсяг згоди не дозволяють цього експорту",
        "Назвіть організацію-отримувача або оберіть профіль, що відповідає згоді.",
    ),
    "anonymise.disclosure_risk": (
        "Результат не відповідав би порогам профілю",
        "Використайте менше квазіідентифікаторів або грубіші рівні узагальнення, або експортуйте "
        "більше записів.",
    ),
    "anonymise.unknown_column": (
        "Стовпця немає в таблиці",
        "Звірте написання із заголовком CSV або елементами JSON (назви з крапками сягають усередину).",
    ),
    "anonymise.row_not_object": (
        "Рядок таблиці не є об'єктом JSON",
        "Надайте JSON Lines з об'єктів або один масив JSON з об'єктів.",
    ),
    "anonymise.threshold_not_met": (
        "Таблиця не досягає запитаних k або l",
        "Узагальніть або приховайте квазіідентифікатори, або публікуйте натомість агреговані дані.",
    ),
    "anonymise.l_without_sensitive": (
        "--l потребує чутливого атрибута",
        "Назвіть чутливі атрибути через --sensitive.",
    ),
    "anonymise.invalid_input": (
        "Вхідний запис некоректний",
        "Запустіть crsvdata validate для вхідних даних і виправте рядки, про які він повідомить.",
    ),
    "anonymise.empty_export": (
        "За цим профілем жоден запис не може бути переданий цьому отримувачеві",
        "Прочитайте підсумки в stderr: перевірте отримувача (--recipient) і згоди в записах.",
    ),
}
"""Issue code -> (Ukrainian title, Ukrainian fix)."""

# The safe details an English message may carry, and how each reads in Ukrainian. Each pattern matches a
# phrase the library itself writes around a position, a limit or a code list's name, never a data value.
_DETAILS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"code list '([a-z0-9_]+)'"), "список кодів «{0}»"),
    (re.compile(r"\bline (\d+), column (\d+)"), "рядок {0}, стовпець {1}"),
    (re.compile(r"\bat column (\d+)"), "стовпець {0}"),
    (re.compile(r"\boffset (\d+)"), "перший хибний байт на позиції {0}"),
    (re.compile(r"\blonger than (\d+) bytes"), "довший за {0} байтів"),
    (re.compile(r"\blonger than (\d+) characters"), "довша за {0} символів"),
    (re.compile(r"\bits name is withheld\b"), "назву не показано, бо вона може містити дані"),
    (re.compile(r"\bnull is not allowed\b"), "null не допускається: пропустіть поле"),
    (re.compile(r"\bNUL byte\b"), "рядок містить байт NUL"),
    (re.compile(r"\bmalformed quoting\b"), "хибно розставлені лапки"),
    (re.compile(r"\bpermission denied\b"), "немає дозволу"),
)


def _sentence_start(title: str) -> str:
    # "Текст задовгий" -> "текст задовгий", but an acronym ("РНОКПП", "JSON") keeps its capitals.
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def ukrainian_message(code: str, english_message: str) -> str | None:
    """The Ukrainian message of an issue, or None when ``code`` has no Ukrainian entry yet.

    It is the code's Ukrainian title, then in brackets the details of ``english_message`` that
    ``_DETAILS`` knows; details the English message may carry beyond those are left out, never shown
    in English.
    """
    entry = UKRAINIAN.get(code)
    if entry is None:
        return None
    details = []
    for pattern, template in _DETAILS:
        match = pattern.search(english_message)
        if match:
            details.append(template.format(*match.groups()))
    title = _sentence_start(entry[0])
    return f"{title} ({'; '.join(details)})" if details else title
