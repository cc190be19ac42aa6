//! Whole-list sanity run over a generated multi-script corpus.
//!
//! Not a benchmark: nothing here is timed (see `examples/throughput.rs` for a
//! release-mode timing run). It processes a list-sized batch of names the way
//! the matching engine does at index time and checks properties that must
//! hold for every name.

use redline_names::{legal_form_spans, normalize, to_latin, tokens};

const GIVEN: &[&str] = &[
    "Vladimir",
    "Владимир",
    "Евгений",
    "Юрий",
    "José",
    "Müller",
    "Vlаdimir",
    "محمد",
    "عبد الله",
    "习",
    "習近",
    "Αλέξης",
    "김",
    "Ørsted",
    "O'Brien",
    "ＡＢＣ",
    "Sheikh",
];

const FAMILY: &[&str] = &[
    "Putin",
    "Путин",
    "Пригожин",
    "Ковальчук",
    "GARCÍA",
    "Łukaszewicz",
    "Рutin",
    "التكريتي",
    "近平",
    "Τσίπρας",
    "정은",
    "Straße",
    "al-Qa'ida",
    "Бандера-Шевченко",
    "\u{200B}Smith\u{00AD}",
];

const SUFFIX: &[&str] = &[
    "",
    " LLC",
    " ООО",
    " 有限公司",
    " Co., Ltd.",
    " ПАО",
    " GmbH",
    " (Group)",
];

/// Names, each with whether it ends in a legal form.
fn corpus() -> Vec<(String, bool)> {
    let mut names = Vec::new();
    for (i, g) in GIVEN.iter().enumerate() {
        for (j, f) in FAMILY.iter().enumerate() {
            for (k, s) in SUFFIX.iter().enumerate() {
                // Vary order and spacing deterministically.
                let name = match (i + j + k) % 3 {
                    0 => format!("{g} {f}{s}"),
                    1 => format!("{f}, {g}{s}"),
                    _ => format!("  {g}\u{00A0}{f}{s}  "),
                };
                let has_form = !s.is_empty() && !s.contains("Group");
                names.push((name, has_form));
            }
        }
    }
    // List-sized: repeat to about 20,000 names.
    let base = names.clone();
    while names.len() < 20_000 {
        names.extend(base.iter().cloned());
    }
    names
}

#[test]
fn whole_list_properties() {
    let names = corpus();
    for (name, has_form) in &names {
        let latin = to_latin(name);
        // Letters are lower-case ASCII; no leading, trailing or double spaces.
        assert!(
            latin
                .chars()
                .all(|c| !c.is_alphabetic() || c.is_ascii_lowercase()),
            "{name:?} -> {latin:?}"
        );
        assert_eq!(latin.trim(), latin, "{name:?}");
        assert!(!latin.contains("  "), "{name:?} -> {latin:?}");
        // Transliteration is idempotent.
        assert_eq!(to_latin(&latin), latin, "{name:?}");
        // Normalisation is idempotent.
        let norm = normalize(name);
        assert_eq!(normalize(&norm), norm, "{name:?}");

        let toks = tokens(name);
        assert!(!toks.is_empty(), "{name:?}");
        for t in &toks {
            assert!(
                !t.is_empty()
                    && t.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{name:?} -> {t:?}"
            );
        }
        let spans = legal_form_spans(&toks);
        for s in &spans {
            assert!(s.start < s.end && s.end <= toks.len());
        }
        if *has_form {
            // The legal-form suffix is found where it is: at the end.
            assert_eq!(
                spans.last().map(|s| s.end),
                Some(toks.len()),
                "{name:?} {toks:?}"
            );
        }
    }
}

#[test]
fn homoglyph_and_genuine_names_agree() {
    // A Latin name written with Cyrillic look-alikes tokenises like the Latin
    // name; the Cyrillic name transliterates to the same tokens.
    assert_eq!(tokens("Vlаdimir Рutin"), tokens("Vladimir Putin"));
    assert_eq!(tokens("Владимир Путин"), tokens("Vladimir Putin"));
    assert_eq!(tokens("習近平"), tokens("习近平"));
    assert_eq!(tokens("\u{FEFF}José\u{200D} MÜLLER"), ["jose", "muller"]);
}
