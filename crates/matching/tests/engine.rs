//! The engine against the real OFAC SDN (2024-05-03) and UN lists: each mechanism
//! shown on a real listed name.

use std::sync::OnceLock;

use redline_matching::{How, Index, Options, Query};
use redline_model::{NameKind, PartialDate, Schema, SourceId};

mod common;

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| Index::build(common::bundled_entities(), vec!["test".into()]))
}

fn screen(q: Query) -> Vec<redline_matching::Match> {
    index().screen(&q, &Options::default())
}

fn name(text: &str) -> Query {
    Query {
        name: text.into(),
        ..Query::default()
    }
}

/// Whether screening `text` alerts on `entity_id`, and what it alerted on.
fn alerts_on(text: &str, entity_id: &str) -> (bool, Vec<redline_matching::Match>) {
    let matches = screen(name(text));
    (matches.iter().any(|m| m.is_party_of(entity_id)), matches)
}

fn top(text: &str) -> Option<String> {
    screen(name(text)).first().map(|m| m.entity_id.clone())
}

const PUTIN: &str = "ofac-sdn:35096";

#[test]
fn finds_putin_across_scripts_and_press_forms() {
    for q in [
        "PUTIN, Vladimir Vladimirovich",
        "Vladimir Putin",
        "Vladimir Poutine",               // French press form
        "Wladimir Putin",                 // German press form
        "Владимир Путин",                 // Cyrillic
        "Путин Владимир Владимирович",    // Russian order with patronymic
        "Vlаdimir Рutin",                 // Cyrillic а and Р disguised as Latin
        "Vladi\u{200B}mir Pu\u{00AD}tin", // zero-width space, soft hyphen
        "V. V. Putin",
    ] {
        assert_eq!(top(q).as_deref(), Some(PUTIN), "{q}");
    }
    let m = &screen(name("Владимир Путин"))[0];
    assert!(m
        .explanation
        .tokens
        .iter()
        .all(|t| t.how == How::Transliteration));
}

#[test]
fn french_press_forms_of_ukrainian_and_russian_names() {
    // KOVALCHUK, Yuri Valentinovich: French writes Ю as `iou` and Ч as `tch`.
    assert_eq!(top("Iouri Kovaltchouk").as_deref(), Some("ofac-sdn:16680"));
    // German: `Й` as `j`, `Е` as `je`, `ж` as `sch` (LAVROV, Sergei Viktorovich;
    // PRIGOZHIN, Yevgeniy Viktorovich): the press form is compared with the list's
    // spelling even where it is not itself listed (`yevgeni` for `yevgeniy`).
    assert_eq!(top("Sergej Lawrow").as_deref(), Some("ofac-sdn:35233"));
    assert_eq!(top("Jewgeni Prigoschin").as_deref(), Some("ofac-sdn:21171"));
}

#[test]
fn a_patronymic_the_list_lacks_does_not_hide_the_person() {
    // MEDVEDCHUK, Viktor: listed without the patronymic every Ukrainian or Russian
    // record carries.
    for q in [
        "Viktor Vladimirovich Medvedchuk",
        "MEDVEDCHUK Viktor Volodymyrovych",
        "Медведчук Віктор Володимирович",
    ] {
        let (found, matches) = alerts_on(q, "ofac-sdn:16663");
        assert!(found, "{q}: {matches:?}");
    }
    // A word shaped like a patronymic is still a word of the query's own where the
    // list name is not a person's given name and surname.
    assert!(!alerts_on("DREAM LITE TRADING PETROVICH", "ofac-sdn:45941").0);
    assert!(!alerts_on("VABO 2008 BUTKEVICH", "ofac-sdn:32114").0);
    // A patronymic does not excuse a given name the list does not have.
    assert!(!alerts_on("Ivan Petrovich Medvedchuk", "ofac-sdn:16663").0);
    // A Kazakh record writes the patronymic the Kazakh way (`-ұлы`, son of): the
    // same father's name, the same name part. A daughter's is not a son's.
    let (found, matches) = alerts_on("Владимир Әбдуәліұлы Васильев", "ofac-sdn:37302");
    assert!(found, "{matches:?}");
    assert!(!alerts_on("DROZHZHINA Nikolayevich", "ofac-sdn:35612").0);
}

#[test]
fn titles_and_offices_in_other_languages_are_set_aside_and_said() {
    for (q, title) in [
        ("总统 弗拉基米尔·普京", "总统 (president)"),
        ("ウラジーミル・プーチン大統領", "大統領 (president)"),
        ("블라디미르 푸틴 대통령", "대통령 (president)"),
        ("الرئيس فلاديمير بوتين", "الرئيس (president)"),
    ] {
        let matches = screen(name(q));
        let putin = matches
            .iter()
            .find(|m| m.is_party_of(PUTIN))
            .unwrap_or_else(|| panic!("{q}: {matches:?}"));
        assert!(
            putin
                .explanation
                .adjustments
                .iter()
                .any(|a| a.feature == "title" && a.detail.contains(title)),
            "{q}: {putin:?}"
        );
    }
    // An Urdu record's `ڈاکٹر` (Dr) before KHAN, Abdul Qadeer.
    assert!(alerts_on("ڈاکٹر عبدالقدیر خان", "ofac-sdn:11357").0);
}

#[test]
fn a_name_in_another_script_is_never_taken_for_one_cut_off() {
    // Fixed-length fields hold Latin letters: `Владимирова` is a surname, not the
    // beginning of the patronymic `Vladimirovna` of the UK list's Cyrillic
    // `Ирина Владимировна КРЕМЛЕВА`.
    static EVERY_LIST: OnceLock<Index> = OnceLock::new();
    let index = EVERY_LIST
        .get_or_init(|| Index::build(common::every_bundled_entity(), vec!["test".into()]));
    let matches = index.screen(&name("Ирина Владимирова"), &Options::default());
    assert!(
        !matches.iter().any(|m| m.is_party_of("uk-hmt:15581")),
        "{matches:?}"
    );
}

#[test]
fn a_person_named_by_the_principal_parts_of_the_list_name_is_found() {
    // Names as people who know the person write them: the first surname and the
    // first given name of `SURNAMES, Given names`, without the patronymic.
    for (q, id) in [
        ("Tarek Saab", "ofac-sdn:22750"), // SAAB HALABI, Tarek William
        ("Jose Brito", "ofac-sdn:28309"), // BRITO RODRIGUEZ, Jose Dionisio
        ("Tareck El Aissami", "ofac-sdn:20250"), // EL AISSAMI MADDAH, Tareck Zaidan
        ("Владимир Василев", "ofac-sdn:37302"), // VASILIEV, Vladimir Abdualievich
        ("ターレク・サアブ", "ofac-sdn:22750"),
    ] {
        let (found, matches) = alerts_on(q, id);
        assert!(found, "{q}: {matches:?}");
    }
    // Not where a principal part is missing or only resembles the query's word.
    for (q, id) in [
        ("William Halabi", "ofac-sdn:22750"),
        ("QUINTANA Mario", "ofac-sdn:20131"), // QUINTANA NAVARRO, Maria Teresa
        ("Benjamin Orellana", "ofac-sdn:6715"), // ARELLANO FELIX, Benjamin Alberto
    ] {
        let (found, matches) = alerts_on(q, id);
        assert!(!found, "{q}: {matches:?}");
    }
    // Nor by parts that name half the lists' persons (`AHMAD, Muhammad Yunis`).
    assert!(!alerts_on("AHMAD MOHAMED", "ofac-sdn:8883").0);
}

#[test]
fn han_names_decoded_from_chinese_commercial_codes_match() {
    // ZHANG, Lei: SDN remarks carry Chinese Commercial Code 1728 4320 = 张磊.
    let (found, matches) = alerts_on("张磊", "ofac-sdn:16318");
    assert!(found, "{matches:?}");
}

#[test]
fn legal_forms_are_one_concept_and_never_match_alone() {
    for q in [
        "OOO Promtekhnologiya",
        "ООО «Промтехнология»",
        "Promtekhnologiya LLC",
        // The Russian form spelt out, as BGN/PCGN (with its `·` and `’`), ICAO
        // passports and Yandex romanise it.
        "Obshchestvo s ogranichennoy otvet·stvennost’yu Promtekhnologiya",
        "Obshchestvo s ogranichennoi otvetstvennostiu «Promtekhnologiia»",
        "OBSCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU PROMTEHNOLOGIYA",
    ] {
        let matches = screen(name(q));
        assert_eq!(
            matches.first().map(|m| m.entity_id.as_str()),
            Some("ofac-sdn:36999"),
            "{q}"
        );
        assert!(
            !matches
                .iter()
                .any(|m| m.entity_id == "ofac-sdn:40913" || m.entity_id == "ofac-sdn:46682"),
            "{q}: PROMTEKHEKSPERT / PROMTEKHPOSTAVKA are other companies: {matches:?}"
        );
    }
    for q in [
        "Trading Company LLC",
        "Limited Liability Company",
        "Group Holding Ltd",
        "Obshchestvo s ogranichennoy otvetstvennostyu",
        "Publichnoe aktsionernoe obshchestvo",
    ] {
        assert!(screen(name(q)).is_empty(), "{q} alone must not alert");
    }
}

#[test]
fn typos_ocr_vowel_drops_and_truncation() {
    const RAMIREZ: &str = "ofac-sdn:10424"; // RAMIREZ LENIS, Jhon Jairo
    for q in [
        "RAMIREZ LENIS, Jhon Jaifo",  // typo
        "RAMlREZ LENIS, Jhon Jairo",  // OCR l for I
        "RMRZ LNS, Jhn Jro",          // vowels dropped
        "RAMIREZ LENIS, Jhonn Jairo", // doubled letter
        "RAMIREZ LENI,S Jhon Jairo",  // transposed comma splits a token
        "Jairo Jhon LENIS RAMIREZ",   // order
        "RAMIREZ LENIS, Jh",          // cut off
    ] {
        let (found, matches) = alerts_on(q, RAMIREZ);
        assert!(found, "{q}: {matches:?}");
    }
    // `MKS` is not the alias `MAX AI` with its vowels dropped: `AI` would have
    // vanished with them. `MAX AI` is one of OFAC's weak aliases (written in the
    // remarks): found, at the weak-alias ceiling, but alone it does not alert; the
    // company's tax number beside it does.
    const MAXTECH: &str = "ofac-sdn:40912";
    let near = |q: &str| {
        let options = Options {
            threshold: 0.7,
            ..Options::default()
        };
        index()
            .screen(&name(q), &options)
            .into_iter()
            .find(|m| m.entity_id == MAXTECH)
    };
    assert!(!alerts_on("MKS LLC", MAXTECH).0);
    let weak = near("MX AI LLC").expect("MX AI is MAX AI with its vowels dropped");
    assert_eq!(weak.explanation.name_kind, NameKind::WeakAlias);
    assert!(weak.score < redline_matching::DEFAULT_THRESHOLD, "{weak:?}");
    assert!(!alerts_on("MX AI LLC", MAXTECH).0);
    let with_number = screen(Query {
        identifiers: vec!["9715291467".into()],
        ..name("MX AI LLC")
    });
    assert!(with_number.iter().any(|m| m.entity_id == MAXTECH));
}

#[test]
fn an_initial_stands_for_a_name_beside_a_common_one() {
    for (q, expected) in [
        // Hundreds of listed names carry `Mohammed`: the initial picks the candidates.
        ("O. Mohammed", "ofac-sdn:6635"), // OMAR, Mohammed
        ("T Mohamed", "ofac-sdn:44484"),  // THASLEEM, Mohamed
        // `Xhemajli` is compared as `kshemajli`, yet its initial is still `X`.
        ("X. Emrush", "ofac-sdn:7812"),
        // The list repeats `al`: the query's `al` of `Abd al-Rahman` pairs with the
        // one there, leaving `AL-FAWAZ` whole for the initial.
        ("A. Khalid Abd al-Rahman Hamd", "ofac-sdn:7209"),
    ] {
        let (found, matches) = alerts_on(q, expected);
        assert!(found, "{q}: {matches:?}");
    }
    let fawaz = screen(name("A. Khalid Abd al-Rahman Hamd"));
    assert!(fawaz
        .iter()
        .any(|m| m.entity_id == "ofac-sdn:7209" && m.score >= 0.9));
}

#[test]
fn names_run_together_or_split_elsewhere_find_their_list_form() {
    for (q, expected) in [
        ("'ABDALQADIR, Abdal'Aziz", "ofac-sdn:22100"), // 'ABD-AL-QADIR, Abd-al-'Aziz
        ("JAMIA TALEEMULQURANWALHADITH MADRASSA", "ofac-sdn:16223"),
        ("CMV CARNES SAS", "ofac-sdn:20209"), // C.M.V. CARNES S.A.S.
        // The same letters split elsewhere: two tokens for two.
        ("ALM-ANSOORI, Ali Hussein Falih", "ofac-sdn:28692"), // AL-MANSOORI
        ("ALR-IDA, Karim Hasan", "ofac-sdn:8333"),            // AL-RIDA
    ] {
        let matches = screen(name(q));
        assert_eq!(
            matches.first().map(|m| m.entity_id.as_str()),
            Some(expected),
            "{q}: {matches:?}"
        );
        assert!(matches[0].score >= 0.95, "{q}: {matches:?}");
    }
}

#[test]
fn titles_around_a_name_of_descriptive_words_stay_titles() {
    // Every word of `MARINE INDUSTRIES ORGANIZATION` is generic, so they are its name;
    // a title or suffix added to it is still only a title.
    for q in [
        "Hajji MARINE INDUSTRIES ORGANIZATION",
        "MARINE INDUSTRIES ORGANIZATION Jr.",
    ] {
        assert_eq!(top(q).as_deref(), Some("ofac-sdn:15652"), "{q}");
    }
    // Its `FOR` does not make the descriptive words of `FEDERAL SERVICE FOR
    // MILITARY-TECHNICAL COOPERATION` mere decoration: without it, they still match.
    assert_eq!(
        top("FEDERAL SERVICE MILITARY-TECHNICAL COOPERATION").as_deref(),
        Some("ofac-sdn:37665")
    );
}

#[test]
fn short_queries_and_legal_forms_are_not_initials_or_cut_off_names() {
    for (q, not_expected) in [
        // Too short to have been cut off by a field: `M.` is an initial and the rest
        // of `IRAN MARINE INDUSTRIAL COMPANY, SADRA` stays uncovered.
        ("IRAN M.", "ofac-sdn:13115"),
        // The `S` and `A` of `S.A.` are no initials of `سعید … عبد …`.
        ("JAN S.A.", "un-sc:2959427"),
        // `BM` in front of `BM SYSTEMS EAD` is its name, not a second legal form.
        ("LIMITED SYSTEMS", "ofac-sdn:32065"),
        // A word of its own where the list has a legal form (`SIRKETI`).
        (
            "IDA ASANSOR SANAYII VE TICARET LIMITED RAMIREZ",
            "ofac-sdn:48801",
        ),
    ] {
        let (found, matches) = alerts_on(q, not_expected);
        assert!(!found, "{q}: {matches:?}");
    }
}

#[test]
fn another_legal_form_beside_a_missing_word_is_another_company() {
    // Same kind of form (all private limited companies), but written as another
    // jurisdiction's form, or form words the list name lacks, while a word of the list
    // name is missing: two companies. With the list's own form, or the word present,
    // the shorter name still alerts.
    for (q, listed, alerts) in [
        ("IRISL LIMITED", "ofac-sdn:25429", false), // IRISL EUROPE GMBH
        ("IRISL GMBH", "ofac-sdn:25429", true),
        ("KING LIMITED", "ofac-sdn:39587", false), // KING TRADE B.V.
        ("KING B.V.", "ofac-sdn:39587", true),
        ("AL-ANSAR CHARITY LLC", "ofac-sdn:45890", false), // … CHARITY ASSOCIATION
        ("AL-ANSAR CHARITY", "ofac-sdn:45890", true),
        // A word where the list has only a legal form.
        ("ARDIS-BEARINGS ORGANIZATION", "ofac-sdn:22288", false), // ARDIS-BEARINGS LLC
        ("ARDIS-BEARINGS", "ofac-sdn:22288", true),
        // A company is not the vessel of that name; a vessel is its name.
        ("CHONGBONG LTD.", "ofac-sdn:19588", false), // the vessel CHONG BONG
        ("CHONG BONG", "ofac-sdn:19588", true),
        // `SAK` is a legal form (`САК`) only where it is no misspelt name part.
        ("SAK JONG 1", "ofac-sdn:23733", true), // the vessel SAM JONG 1
    ] {
        let (found, matches) = alerts_on(q, listed);
        assert_eq!(found, alerts, "{q}: {matches:?}");
    }
}

#[test]
fn names_cut_off_by_a_fixed_length_field() {
    for (q, expected) in [
        // A fragment the index cannot reach by spelling: completed from the lists.
        ("LIMITED LIABILITY COMPANY INZHTEPLO", "ofac-sdn:47898"),
        // Three letters cut from `COMERCIALES`: a prefix, not a misspelling.
        ("DESARROLLOS COMERCIA", "ofac-sdn:6721"),
        // Cut after a whole word: no name ends in `AND` or a comma.
        ("SAMIR HERZALLAH AND", "ofac-sdn:47129"),
        ("SALAZAR BALLESTEROS,", "ofac-sdn:41258"),
    ] {
        let (found, matches) = alerts_on(q, expected);
        assert!(found, "{q}: {matches:?}");
    }
    // Nothing but separators, however long, is no name cut short.
    assert!(screen(name("---------------- ,")).is_empty());
    // Too short to have been cut: `SAMIR AND` is not the brothers' exchange house.
    assert!(!alerts_on("SAMIR AND", "ofac-sdn:47129").0);
}

#[test]
fn different_people_sharing_some_tokens_do_not_alert() {
    // Surname of one entry with a given name of another, and a swapped-in token.
    for q in [
        "RAMIREZ Hishan",
        "AL-DIBISKI Nur AGUIRRE",
        "John Smith",
        "Maria Garcia",
        // `LI` is no misspelt `II`: not the vessel SARA II.
        "Sara Li",
    ] {
        let matches = screen(name(q));
        assert!(matches.is_empty(), "{q}: {matches:?}");
    }
}

#[test]
fn secondary_attributes_adjust_the_score() {
    let base = screen(name("Vladimir Putin"))[0].score;
    let same_dob = screen(Query {
        birth_date: PartialDate::parse_iso("1952-10-07"),
        ..name("Vladimir Putin")
    })[0]
        .clone();
    assert!(same_dob.score > base);
    assert!(same_dob
        .explanation
        .adjustments
        .iter()
        .any(|a| a.feature == "birth_date" && a.delta > 0.0));
    let other_dob = screen(Query {
        birth_date: PartialDate::parse_iso("1990-01-01"),
        ..name("Vladimir Putin")
    });
    assert!(other_dob
        .first()
        .is_none_or(|m| m.entity_id != PUTIN || m.score < base));
    // Where both give the day, a birth date in the year beside the list's is another
    // person's (RESTREPO VICTORIA, Maria Teresa, born 04 Dec 1949); the same date
    // with day and month read the other way round is not.
    let delta = |born: &str| {
        let matches = index().screen(
            &Query {
                birth_date: PartialDate::parse_iso(born),
                ..name("Maria Teresa Restrepo Victoria")
            },
            &Options {
                threshold: 0.5,
                limit: 10,
            },
        );
        let m = matches.iter().find(|m| m.is_party_of("ofac-sdn:9562"));
        let adjustments = &m.expect("found").explanation.adjustments;
        (adjustments.iter())
            .find(|a| a.feature == "birth_date")
            .map_or(0.0, |a| a.delta)
    };
    assert!(delta("1948-01-12") < 0.0);
    assert!(delta("1949-04-12") >= 0.0);
    assert!(delta("1949-12-04") > 0.0);
    // A person query never matches a vessel.
    let vessel = screen(Query {
        schema: Some(Schema::Vessel),
        ..name("Vladimir Putin")
    });
    assert!(vessel.is_empty());
    // An exact identifier is strong evidence on its own: Sberbank's BIC.
    let by_bic = screen(Query {
        identifiers: vec!["SABR RU MM".into()],
        ..name("Some Bank")
    });
    assert_eq!(
        by_bic.first().map(|m| m.entity_id.as_str()),
        Some("ofac-sdn:17018")
    );
}

#[test]
fn results_are_reproducible() {
    let a = serde_json::to_string(&screen(name("Mohammad Ali"))).unwrap();
    let b = serde_json::to_string(&screen(name("Mohammad Ali"))).unwrap();
    assert_eq!(a, b);
}

#[test]
fn other_scripts_reach_their_list_entries() {
    for (q, expected) in [
        ("Βλαντίμιρ Πούτιν", PUTIN),        // Greek
        ("Σαχμπάζ Χαν", "ofac-sdn:10383"),  // Greek χ for `kh`/`h`: KHAN, Shahbaz
        ("Ιγκόρ Σέτσιν", "ofac-sdn:16692"), // Greek τσ for `ch`: SECHIN, Igor Ivanovich
        ("김정은", "ofac-sdn:20157"),       // Hangul, Revised Romanisation vs KIM, Jong Un
        ("حسن نصرالله", "ofac-sdn:2686"),   // Arabic: NASRALLAH, Hasan
        ("قاسم سليماني", "un-sc:110408"),   // Arabic: QASEM SOLEIMANI (UN)
        ("ПАО Сбербанк", "ofac-sdn:18715"), // Russian legal form + Cyrillic
    ] {
        let (found, matches) = alerts_on(q, expected);
        assert!(found, "{q}: {matches:?}");
    }
}

#[test]
fn cyrillic_names_without_patronymic_meet_the_lists_romanisation() {
    // The list's BGN/PCGN spelling is one of the romanisations of the Cyrillic word,
    // not its canonical one: `Ё` as `yo`, initial `Е` as `ye`, `й` as `y` or nothing.
    for (q, expected) in [
        ("ТКАЧЁВ Антон", "ofac-sdn:37377"),   // TKACHYOV, Anton Olegovich
        ("ПОПОВ Егор", "ofac-sdn:40873"),     // POPOV, Yegor Sergeyevich
        ("МАЁРОВ Алексей", "ofac-sdn:36826"), // MAYOROV, Alexei Petrovich
        ("Юрий Ковальчук", "ofac-sdn:16680"), // KOVALCHUK, Yuri Valentinovich
        ("Арбузов Сергій", "ofac-sdn:16737"), // Ukrainian г as h: ARBUZOV, Serhiy
    ] {
        let (found, matches) = alerts_on(q, expected);
        assert!(found, "{q}: {matches:?}");
    }
}

#[test]
fn arabic_script_finds_the_lists_romanisations() {
    // Arabic writes no short vowels and `و`/`ي` for both `w`/`y` and `u`/`i`; the
    // article is run into the name and its `l` taken by a sun letter. All but the
    // last two are the UN's NAME_ORIGINAL_SCRIPT of people the SDN lists in Latin
    // only: screened against the SDN alone, where no record in Arabic script helps.
    let sdn_alerts_on = |text: &str, entity_id: &str| {
        let matches = screen(Query {
            sources: vec![SourceId::OfacSdn],
            ..name(text)
        });
        (matches.iter().any(|m| m.entity_id == entity_id), matches)
    };
    for (q, expected) in [
        ("قصي صدام حسين التكريتي", "ofac-sdn:7844"), // AL-TIKRITI, Qusay Saddam Hussein
        ("بلال بن مروان", "ofac-sdn:6945"),           // BIN MARWAN, Bilal
        ("جوهر مجيد الدوري", "ofac-sdn:8184"),       // AL-DURI, Jawhar Majid
        ("طه ياسين رمضان الجزراوي", "ofac-sdn:7862"), // AL-JIZRAWI, Taha Yassin Ramadan
        ("عبدالحميد المصلي", "ofac-sdn:16000"),      // AL-MASLI, 'Abd-al-Hamid
        ("نصیر الدین حقانی", "ofac-sdn:12129"),      // HAQQANI, Nasiruddin
        ("احمد ضیا آغا", "ofac-sdn:12795"),          // Persian ض as z: AGHA, Ahmad Zia
        ("إسماعيل هنية", "ofac-sdn:23627"),          // HANIYEH, Ismail
        ("يحيى السنوار", "ofac-sdn:18528"),          // SINWAR, Yahya
        // A foreign name: Arabic writes `p` as `ب` and `v` as `ف`.
        ("فلاديمير بوتين", PUTIN),
    ] {
        let (found, matches) = sdn_alerts_on(q, expected);
        assert!(found, "{q}: {matches:?}");
    }
    // Read so, the foreign name is the list's spelling, not a near one.
    let (_, matches) = sdn_alerts_on("فلاديمير بوتين", PUTIN);
    assert!(matches[0].score > 0.95, "{matches:?}");
    // A final `ي` is a name of its own: Mohammadi is not Muhammad.
    assert!(!sdn_alerts_on("محمد محمدی", "ofac-sdn:18602").0);
}

#[test]
fn listed_names_are_found_inside_free_text_and_common_words_are_not() {
    let options = Options::default();
    let find = |text: &str| index().find_in_text(text, &options);
    // A listed company named in an MT103 field 70.
    let text = "PAYMENT FOR SPARE PARTS VIA JSC CONCERN RADIO ELECTRONIC TECHNOLOGIES";
    let hits = find(text);
    assert_eq!(hits[0].matched.entity_id, "ofac-sdn:16868", "{hits:#?}");
    assert_eq!(&text[hits[0].start..hits[0].end], hits[0].text);
    assert!(hits[0]
        .text
        .contains("CONCERN RADIO ELECTRONIC TECHNOLOGIES"));
    // A listed person in a sentence, in another script, and in a news paragraph.
    let news =
        "Talks stalled on Tuesday after Vladimir Poutine refused to meet the envoy in Geneva.";
    let hits = find(news);
    assert_eq!(hits[0].matched.entity_id, "ofac-sdn:35096");
    assert_eq!(hits[0].text, "Vladimir Poutine");
    let hits = find("Оплата по договору, получатель Путин Владимир Владимирович, г. Москва");
    assert!(
        hits.iter().any(|h| h.matched.entity_id == "ofac-sdn:35096"),
        "{hits:#?}"
    );
    // Ordinary payment texts flag nothing.
    for clean in [
        "INVOICE 2024-118 PAYMENT FOR CONSULTING SERVICES RENDERED IN MARCH",
        "/ROC/E2E04044506271305 SALARY JUNE",
        "Goods: ball bearings and hydraulic pumps, shipped from Hamburg to Rotterdam by sea freight",
        "Transfer between own accounts of Global Trading Company Limited",
        "The bank of the beneficiary will charge the usual fees for international transfers.",
    ] {
        let hits = find(clean);
        assert!(hits.is_empty(), "{clean}: {:?}", hits.iter().map(|h| (&h.text, &h.matched.caption, h.matched.score)).collect::<Vec<_>>());
    }
}

/// The words of a match's explanation taken for words around the name, with what each
/// was taken for.
fn context_of(m: &redline_matching::Match) -> Vec<(String, &'static str)> {
    m.explanation
        .context_tokens
        .iter()
        .map(|c| (c.token.clone(), c.taken_as))
        .collect()
}

#[test]
fn words_around_a_listed_name_cost_little_and_are_named() {
    // Each kind of word, with the listed party it stands beside and what the
    // explanation must say it was taken for.
    for (query, entity, word, taken_as) in [
        ("Vladimir Putin Moscow", PUTIN, "moscow", "place"),
        ("Владимир Путин Москва", PUTIN, "moskva", "place"),
        (
            "PUTIN VLADIMIR VLADIMIROVICH RUSSIA",
            PUTIN,
            "russia",
            "place",
        ),
        ("Vladimir Putin, Kremlin, Moscow", PUTIN, "kremlin", "place"),
        (
            "Vladimir Putin (President)",
            PUTIN,
            "president",
            "title or office",
        ),
        (
            "BANCO NACIONAL DE CUBA HAVANA",
            "ofac-sdn:306",
            "havana",
            "place",
        ),
        // A place the list itself gives as the person's birthplace (`POB Pec, Kosovo`).
        ("Liridon KELMENDI Pec", "ofac-sdn:17278", "pec", "place"),
        (
            "ETCO INTERNATIONAL COMPANY, LIMITED Branch",
            "ofac-sdn:768",
            "branch",
            "organisation role",
        ),
        (
            "MOHAMMAD WALI MONEY EXCHANGE (in liquidation)",
            "ofac-sdn:13129",
            "liquidation",
            "organisation role",
        ),
        (
            "IMPORTADORA SILVANIA, C.A. - Str. 1",
            "ofac-sdn:12895",
            "1",
            "address",
        ),
        (
            "Zuhair Tawfik AL-ASSAD ul. Tverskaya 12",
            "ofac-sdn:29281",
            "tverskaya",
            "address",
        ),
        (
            "c/o TOSONG TECHNOLOGY TRADING CORPORATION",
            "ofac-sdn:9520",
            "c",
            "care-of marker",
        ),
    ] {
        let (alerts, matches) = alerts_on(query, entity);
        assert!(alerts, "{query}: {matches:?}");
        let m = matches.iter().find(|m| m.entity_id == entity).unwrap();
        assert!(m.score >= 0.88, "{query}: {}", m.score);
        assert!(
            context_of(m).contains(&(word.to_string(), taken_as)),
            "{query}: {:?}",
            context_of(m)
        );
        assert!(!m
            .explanation
            .unmatched_query_tokens
            .contains(&word.to_string()));
    }
}

#[test]
fn words_that_look_like_another_name_still_cost_in_full() {
    // Another surname where a place would stand is another person.
    let (alerts, _) = alerts_on("Vladimir Putin Smith", PUTIN);
    assert!(!alerts);
    // A place word between name parts is a name part; one listed persons use as a
    // name (`Orlova` is a Czech town and a listed surname) is one too.
    let moscow = screen(name("Vladimir Putin Moscow"))[0].score;
    let between = screen(name("Vladimir Moscow Putin"));
    assert!(
        between.first().is_none_or(|m| m.score < moscow),
        "{between:?}"
    );
    // A word in place of a missing name part is no word around the name.
    let (alerts, matches) = alerts_on("GONZALEZ MEDINA Jaime Madrid", "ofac-sdn:12178");
    assert!(!alerts, "{matches:?}");
    // Names on no list stay clean with a place or a title added.
    for query in [
        "Benjamin Garcia Sanaa",
        "Dr. Yvonne Ross",
        "Artur Maia Lisbon",
    ] {
        assert!(screen(name(query)).is_empty(), "{query}");
    }
    // A list name that is mostly a place is not found by the place alone.
    let (alerts, _) = alerts_on("Moscow", "ofac-sdn:37000");
    assert!(!alerts);
}

#[test]
fn a_short_name_finds_the_organisation_by_its_identifying_words() {
    for (query, entity) in [
        ("ROSTEC", "ofac-sdn:17260"),
        ("KAMAZ", "ofac-sdn:37757"),
        // `PUBLICLY TRADED` says how its shares are held, not which company it is.
        ("KAMAZ", "ofac-sdn:37756"),
        ("ALMAZ-ANTEY", "ofac-sdn:16865"),
        ("Almaz-Antei", "ofac-sdn:16865"),
        ("Kumertau", "ofac-sdn:35863"),
        // With words around it set apart by punctuation.
        ("ROSTEC, Moscow", "ofac-sdn:17260"),
    ] {
        let (alerts, matches) = alerts_on(query, entity);
        assert!(alerts, "{query}: {matches:?}");
    }
    // The explanation says which words carried the name and which only describe it.
    let rostec = screen(name("ROSTEC"));
    let words = &rostec[0].explanation.list_words;
    let weight = |token: &str| words.iter().find(|w| w.token == token).unwrap();
    assert_eq!(
        weight("rostec").weighed_as,
        redline_matching::ListWordRole::Identifying
    );
    assert!(weight("rostec").share > 0.7, "{words:?}");
    for generic in ["state", "corporation"] {
        assert_eq!(
            weight(generic).weighed_as,
            redline_matching::ListWordRole::Generic
        );
        assert!(!weight(generic).matched);
    }
}

#[test]
fn a_word_the_lists_hold_for_one_party_finds_it_whatever_else_its_name_says() {
    // The lists hold `LEVSHA`, `BITPAPA` and `NAFTIRAN` for one party (or one group's
    // few entries) and for no person: the other identifying words of the name
    // (`GUN MAKING`, `IC FZC`, `INTERTRADE … NICO`) share half the weight one would
    // have, so the word alone is a strong match.
    for (query, entity) in [
        ("Levsha", "ofac-sdn:47707"),
        ("BITPAPA", "ofac-sdn:48096"),
        ("NAFTIRAN", "ofac-sdn:11318"),
        ("NAFTIRAN", "ofac-sdn:11319"),
    ] {
        let (alerts, matches) = alerts_on(query, entity);
        assert!(alerts, "{query}: {matches:?}");
    }
    let levsha = screen(name("Levsha"));
    let words = &levsha[0].explanation.list_words;
    let share = |token: &str| words.iter().find(|w| w.token == token).unwrap().share;
    assert!(share("levsha") > 2.0 * share("gun"), "{words:?}");
    // A word in a listed person's name is not such a word: `SHAHBAZ` (KHAN,
    // Shahbaz) does not find `SHAHBAZ` the company; nor is the other words' weight
    // waived for a common one (`Tekhnika`).
    for (query, entity) in [
        ("SHAHBAZ", "ofac-sdn:10605"),
        ("Tekhnika", "ofac-sdn:43105"),
    ] {
        let (alerts, matches) = alerts_on(query, entity);
        assert!(!alerts, "{query}: {matches:?}");
    }
}

#[test]
fn a_vessel_is_found_after_its_motor_vessel_prefix() {
    for query in ["MV SCF PRIMORYE", "MT SCF PRIMORYE", "M/V SCF PRIMORYE"] {
        let (alerts, matches) = alerts_on(query, "ofac-sdn:45555");
        assert!(alerts, "{query}: {matches:?}");
    }
}

#[test]
fn a_rare_surname_alone_alerts_only_with_the_full_birth_date() {
    // PROKOPENKO, Ivan Pavlovitch: DOB 28 Sep 1973; no other listed person is a
    // Prokopenko.
    let born = |date: &str| Query {
        name: "Prokopenko".into(),
        birth_date: PartialDate::parse_iso(date),
        ..Query::default()
    };
    let hit = |q: Query| screen(q).iter().any(|m| m.entity_id == "ofac-sdn:15892");
    assert!(!hit(name("Prokopenko")));
    assert!(hit(born("1973-09-28")));
    let m = screen(born("1973-09-28"));
    assert!(m[0]
        .explanation
        .adjustments
        .iter()
        .any(|a| a.feature == "rare_name_birth_date"));
    // The month alone, another day, or a surname many listed persons share: no.
    assert!(!hit(born("1973-09")));
    assert!(!hit(born("1973-09-27")));
    let ivanov = Query {
        name: "Ivanov".into(),
        birth_date: PartialDate::parse_iso("1973-09-28"),
        ..Query::default()
    };
    assert!(screen(ivanov).is_empty());
}

#[test]
fn generic_words_and_a_full_name_of_its_own_never_make_a_short_name() {
    // Generic and descriptive words alone are nobody.
    for query in [
        "STATE CORPORATION",
        "TRADING COMPANY",
        "AEROSPACE DEFENSE CONCERN",
        "PUBLICLY TRADED COMPANY",
        "GUN MAKING COMPANY",
    ] {
        assert!(screen(name(query)).is_empty(), "{query}");
    }
    // A name written with its own legal form is written in full: `KING LIMITED` is
    // not `KING TRADE B.V.`, nor `MKS LLC` `MKS INTERNATIONAL CO. LTD.`
    for (query, entity) in [
        ("KING LIMITED", "ofac-sdn:39587"),
        ("MKS LLC", "ofac-sdn:21553"),
    ] {
        let (alerts, matches) = alerts_on(query, entity);
        assert!(!alerts, "{query}: {matches:?}");
    }
    // A core word must be matched as itself, not by a neighbouring word.
    let (alerts, _) = alerts_on("Millet", "ofac-sdn:25019");
    assert!(!alerts);
}

#[test]
fn names_as_other_languages_write_them_find_their_list_entry() {
    // Real Wikidata labels and press spellings of listed persons (the multilingual
    // benchmark), each read back to Latin spellings by another mechanism.
    for (q, expected) in [
        ("ウラジーミル・プーチン", PUTIN), // dictionary + katakana
        ("블라디미르 푸틴", PUTIN),        // dictionary + hangul
        ("弗拉基米尔·普京", PUTIN),        // dictionary + Chinese transcription
        ("ולדימיר פוטין", PUTIN),          // dictionary + Hebrew letters
        ("Уладзімір Пуцін", PUTIN),        // Belarusian
        ("Vlagyimir Putyin", PUTIN),       // Hungarian spelling
        ("Vladimiras Putinas", PUTIN),     // Lithuanian case endings
        ("Vladimir Poetin", PUTIN),        // Dutch spelling
        ("Վլադիմիր Պուտին", PUTIN),        // Armenian ու
        ("விளாதிமிர் பூட்டின்", PUTIN),        // Tamil, by sound
        ("ቭላዲሚር ፑቲን", PUTIN),              // Amharic, by sound
        ("ヴィターリー・ミロノフ", "ofac-sdn:35681"), // MILONOV, Vitaly
        ("ויטלי מילונוב", "ofac-sdn:35681"), // MILONOV, Vitaly
        ("马里奥·拉米雷斯·特雷维尼奥", "ofac-sdn:11921"), // RAMIREZ TREVINO, Mario
    ] {
        let (found, matches) = alerts_on(q, expected);
        assert!(found, "{q}: {matches:?}");
    }
    // The explanation says how each foreign word was read.
    let m = &screen(name("ウラジーミル・プーチン"))[0];
    let by: Vec<_> = m
        .explanation
        .readings
        .iter()
        .map(|r| r.by.label())
        .collect();
    assert_eq!(by, ["person-name dictionary", "katakana reading"]);
}

#[test]
fn a_name_written_twice_in_two_scripts_is_each_of_them_if_they_agree() {
    // Katakana with the Latin name in brackets, as Japanese Wikipedia writes it.
    let (found, matches) = alerts_on(
        "ムアタシム・ビラ・アブミンヤール・カダフィ（Mutassim Billah Abuminyar Qadhafi）",
        "un-sc:690775",
    );
    // The katakana alone is no alert; with the Latin name it agrees with, it is.
    assert!(!alerts_on("ムアタシム・ビラ・アブミンヤール・カダフィ", "un-sc:690775").0);
    assert!(found, "{matches:?}");
    // A Latin place beside a Hebrew name is no list entry's name on its own.
    assert!(screen(name("שטיינברג-אזברגה, DR Congo")).is_empty());
}

#[test]
fn chinese_and_korean_names_are_not_read_as_transcriptions() {
    // Common Chinese and Korean names on no list (negatives-global): a reading of
    // their syllables in other languages would meet listed persons who share one.
    // (`成 朱` still meets CHEN Zhu by its own syllables: a known near miss.)
    for q in ["成 朱", "晶 刘", "영수 송", "지훈 김", "성훈 김"] {
        let matches = screen(name(q));
        assert!(
            matches.iter().all(|m| m.explanation.readings.is_empty()),
            "{q}: {matches:?}"
        );
    }
}

#[test]
fn korean_names_in_chinese_characters_are_read_the_korean_way() {
    // Listed North Koreans as Korean records write them in hanja.
    for (q, expected) in [
        ("金正恩", "ofac-sdn:20157"), // KIM, Jong Un
        ("崔龍海", "ofac-sdn:23213"), // CHOE, Ryong Hae
        ("金與正", "ofac-sdn:21444"), // KIM, Yo Jong
    ] {
        let (found, matches) = alerts_on(q, expected);
        assert!(found, "{q}: {matches:?}");
        let m = matches.iter().find(|m| m.entity_id == expected).unwrap();
        assert_eq!(
            m.explanation.readings[0].by.label(),
            "Korean reading of Han"
        );
    }
}

#[test]
fn company_words_in_another_language_meet_the_lists_english() {
    // Registry names of listed companies (the multilingual benchmark): the list writes
    // them translated.
    for (q, expected) in [
        ("ОАО «Минский автомобильный завод»", "ofac-sdn:41318"), // MINSK AUTOMOBILE PLANT
        (
            "Акционерное общество \"Объединенная двигателестроительная корпорация\"",
            "ofac-sdn:37782", // UNITED ENGINE CORPORATION
        ),
    ] {
        let (found, matches) = alerts_on(q, expected);
        assert!(found, "{q}: {matches:?}");
        let m = matches.iter().find(|m| m.entity_id == expected).unwrap();
        assert!(
            m.explanation
                .tokens
                .iter()
                .any(|t| t.how == How::Translation),
            "{m:?}"
        );
    }
    // Only the descriptive words in common: another plant of the same city.
    assert!(!alerts_on("Минский тракторный завод", "ofac-sdn:41318").0);
    // In Latin letters a company word is compared as written: a `CORPORATION` is not
    // the `COMPANY` of a limited liability company.
    assert!(!alerts_on("TRV CORPORATION", "ofac-sdn:35874").0);
}

#[test]
fn chinese_and_korean_names_are_compared_syllable_by_syllable() {
    // Every romanisation of a hangul syllable is the same syllable: RR's `bag` is
    // the North's `PAK` (PAK, Bong Nam), its `gim` `KIM`.
    let (found, matches) = alerts_on("박봉남", "ofac-sdn:22994");
    assert!(found, "{matches:?}");
    // …and as alike as a spelling variant, so that one such syllable beside two
    // written alike still names the person (`박광훈`, PAK, Kwang Hun).
    let (found, matches) = alerts_on("박광훈", "ofac-sdn:23516");
    assert!(found, "{matches:?}");
    // A syllable one letter from another is another syllable, and a listed person's
    // syllable the query lacks makes another person: `瑜 李` (Li Yu) is not
    // `LI, Cheng Yu`.
    let (found, matches) = alerts_on("瑜 李", "ofac-sdn:11284");
    assert!(!found, "{matches:?}");
    let below = index().screen(
        &name("瑜 李"),
        &Options {
            threshold: 0.5,
            limit: 50,
        },
    );
    let li = below
        .iter()
        .find(|m| m.entity_id == "ofac-sdn:11284")
        .expect("still seen below the threshold");
    assert!(
        li.explanation
            .adjustments
            .iter()
            .any(|a| a.feature == "syllable_missing"),
        "{li:?}"
    );
}
