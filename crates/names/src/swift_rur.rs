//! SWIFT-RUR: the Bank of Russia's transliteration for rouble payments, read back
//! into Cyrillic.
//!
//! SWIFT MT carries no Cyrillic, so rouble payments write Russian names in a fixed
//! Latin scheme of the Bank of Russia: `Ж` J, `Х` H, `Ц` C, `Ч` CH, `Ш` SH, `Щ` SHCH,
//! `Ы` Y, `Ъ`/`Ь` `'`, `Э` E', `Ю` IU, `Я` IA, `Й` I. It is not how the lists
//! romanise Russian (`ЦМРБАНК` is `TSMRBANK` on the SDN list, `CMRBANK` in a
//! payment), and no fuzzy rule turns `C` into `TS` safely. Read back into Cyrillic,
//! the name goes through the same romanisations as any Cyrillic name, which include
//! the lists' own. The decoding is greedy, longest letter group first; `I` after a
//! vowel and before a consonant or the end of a word is `Й` (`KRYMSKII` → `КРЫМСКИЙ`,
//! `AIVAZOVSKII` → `АЙВАЗОВСКИЙ`), elsewhere `И`.

/// Letter groups, longest first, with their Cyrillic letter.
const GROUPS: [(&str, char); 6] = [
    ("SHCH", 'Щ'),
    ("SH", 'Ш'),
    ("CH", 'Ч'),
    ("IU", 'Ю'),
    ("IA", 'Я'),
    ("E'", 'Э'),
];

fn single(c: char) -> Option<char> {
    Some(match c {
        'A' => 'А',
        'B' => 'Б',
        'C' => 'Ц',
        'D' => 'Д',
        'E' => 'Е',
        'F' => 'Ф',
        'G' => 'Г',
        'H' => 'Х',
        'I' => 'И',
        'J' => 'Ж',
        'K' => 'К',
        'L' => 'Л',
        'M' => 'М',
        'N' => 'Н',
        'O' => 'О',
        'P' => 'П',
        'R' => 'Р',
        'S' => 'С',
        'T' => 'Т',
        'U' => 'У',
        'V' => 'В',
        'Y' => 'Ы',
        'Z' => 'З',
        '\'' => 'Ь',
        _ => return None,
    })
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'A' | 'E' | 'I' | 'O' | 'U' | 'Y')
}

/// `text` (Latin, as a SWIFT-RUR field writes it) in Cyrillic; letters the scheme
/// does not use (Q, W, X), digits and punctuation are kept as they are. None when
/// the text has no Latin letter.
pub fn swift_rur_to_cyrillic(text: &str) -> Option<String> {
    let upper: Vec<char> = text.chars().flat_map(char::to_uppercase).collect();
    if !upper.iter().any(char::is_ascii_alphabetic) {
        return None;
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while i < upper.len() {
        let rest: String = upper[i..upper.len().min(i + 4)].iter().collect();
        if let Some((group, cyr)) = GROUPS.iter().find(|(g, _)| rest.starts_with(g)) {
            out.push(*cyr);
            i += group.chars().count();
            continue;
        }
        let c = upper[i];
        let short_i = c == 'I'
            && i > 0
            && is_vowel(upper[i - 1])
            && upper
                .get(i + 1)
                .is_none_or(|n| !n.is_ascii_alphabetic() || !is_vowel(*n));
        out.push(if short_i {
            'Й'
        } else {
            // An apostrophe between letters is the soft or hard sign; elsewhere it
            // is punctuation.
            let sign = c == '\''
                && i > 0
                && upper[i - 1].is_ascii_alphabetic()
                && upper.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic());
            match single(c) {
                Some(_) if c == '\'' && !sign => c,
                Some(cyr) => cyr,
                None => c,
            }
        });
        i += 1;
    }
    Some(out)
}

/// `text` written the SWIFT-RUR way: Cyrillic letters by the Bank of Russia's table,
/// upper case; quotation marks become `'` (the SWIFT character set has no `«»`);
/// anything else as it is.
pub fn cyrillic_to_swift_rur(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_uppercase) {
        let group = match c {
            'Ё' => "E",
            'Й' => "I",
            'Щ' => "SHCH",
            'Ш' => "SH",
            'Ч' => "CH",
            'Ю' => "IU",
            'Я' => "IA",
            'Э' => "E'",
            'Ъ' | 'Ь' => "'",
            '«' | '»' | '"' | '“' | '”' | '„' => "'",
            // One Latin letter for the rest of the alphabet (the decoder's table read
            // backwards); anything else as it is.
            _ => {
                out.push(('A'..='Z').find(|&l| single(l) == Some(c)).unwrap_or(c));
                continue;
            }
        };
        out.push_str(group);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rouble_payment_names_read_back() {
        // As SWIFT-RUR writes two SDN-listed companies (TSMRBANK, OOO; KRYMTETS, AO).
        assert_eq!(
            swift_rur_to_cyrillic("CMRBANK, OOO").as_deref(),
            Some("ЦМРБАНК, ООО")
        );
        assert_eq!(
            swift_rur_to_cyrillic("KRYMTEC, AO").as_deref(),
            Some("КРЫМТЕЦ, АО")
        );
        assert_eq!(
            swift_rur_to_cyrillic("OOO SOIUZ-E'KSPORT").as_deref(),
            Some("ООО СОЮЗ-ЭКСПОРТ")
        );
        assert_eq!(
            swift_rur_to_cyrillic("Shchukin Mariia Krymskii").as_deref(),
            Some("ЩУКИН МАРИЯ КРЫМСКИЙ")
        );
        assert_eq!(
            swift_rur_to_cyrillic("OBOSOBLENNOE PODRAZDELENIE 'VOSTOK'").as_deref(),
            Some("ОБОСОБЛЕННОЕ ПОДРАЗДЕЛЕНИЕ 'ВОСТОК'")
        );
        assert_eq!(
            swift_rur_to_cyrillic("PAVEL'EV").as_deref(),
            Some("ПАВЕЛЬЕВ")
        );
        assert_eq!(swift_rur_to_cyrillic("12345"), None);
    }

    #[test]
    fn cyrillic_written_the_swift_rur_way_and_back() {
        for (cyrillic, swift) in [
            ("ООО «Цветметсбыт»", "OOO 'CVETMETSBYT'"),
            ("ИП Кудрявцев-Белякова", "IP KUDRIAVCEV-BELIAKOVA"),
            ("АО «Щёкиноазот»", "AO 'SHCHEKINOAZOT'"),
            (
                "Объединённая двигателестроительная корпорация",
                "OB'EDINENNAIA DVIGATELESTROITEL'NAIA KORPORACIIA",
            ),
        ] {
            assert_eq!(cyrillic_to_swift_rur(cyrillic), swift);
        }
        assert_eq!(
            swift_rur_to_cyrillic("IP KUDRIAVCEV-BELIAKOVA").as_deref(),
            Some("ИП КУДРЯВЦЕВ-БЕЛЯКОВА")
        );
    }
}
