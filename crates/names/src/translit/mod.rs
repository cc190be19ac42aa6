//! Transliteration of every script into lower-case ASCII Latin.
//!
//! The same person appears as `Владимир Путин`, `Vladimir Putin` and
//! `Wladimir Putin`; the same company as `华为` and `Huawei`. Comparing across
//! scripts needs one Latin spelling per name. [`to_latin`] picks one
//! canonical scheme per script (close to what sanctions lists themselves use)
//! and leaves the remaining spelling variation (`yevgeniy`/`evgenii`) to the
//! fuzzy matcher or to [`crate::cyrillic_romanizations`]:
//!
//! * Latin: diacritics stripped, special letters spelled out (`ß` → `ss`).
//! * Cyrillic: a BGN/PCGN-like scheme without diacritics ([`cyrillic`]).
//! * Greek: ELOT 743, simplified ([`greek`]).
//! * Arabic script: a rough consonantal skeleton ([`arabic`]).
//! * Han: toneless pinyin, one word per character ([`han`]).
//! * Hangul: `deunicode` romanisation, one word per syllable block.
//! * Devanagari: `deunicode` plus the inherent vowel `a` (dropped at the end
//!   of a word, Hindi style) and single long vowels (`मोदी` → `modi`).
//! * Anything else (Hebrew, Georgian, Armenian, Thai, kana …): `deunicode`;
//!   letters without a mapping are dropped. Vowel signs of such scripts are
//!   kept; Latin diacritics and Arabic harakat (script-neutral combining
//!   marks) are dropped.

mod arabic;
mod cyrillic;
mod greek;
mod han;
mod latin;

pub use arabic::{arabic_foreign_readings, arabic_persian_reading};
pub(crate) use cyrillic::letter as cyrillic_letter;
pub use greek::greek_foreign_readings;
pub(crate) use han::pinyin_at;

use crate::normalize::normalize;
use crate::script::{classify, CharClass};
use unicode_script::{Script, UnicodeScript};

/// The Latin spellings one word has beside its canonical one ([`to_latin`]), by
/// the script it is written in: every romanisation of a Cyrillic word
/// ([`crate::cyrillic_romanizations`]), the Latin original of a foreign name in
/// Greek letters ([`greek_foreign_readings`]), the Persian and Urdu reading of an
/// Arabic-script word ([`arabic_persian_reading`]) and its reading as a foreign name
/// ([`arabic_foreign_readings`]). Lower-case ASCII; may repeat
/// the canonical spelling; empty for other scripts.
///
/// ```
/// let v = redline_names::word_readings("Ткачёв");
/// assert!(v.contains(&"tkachyov".to_string()));
/// assert!(redline_names::word_readings("Tkachev").is_empty());
/// ```
pub fn word_readings(word: &str) -> Vec<String> {
    match crate::script_of(word) {
        crate::Script::Cyrillic => crate::cyrillic_romanizations(word),
        crate::Script::Greek => greek_foreign_readings(word),
        crate::Script::Arabic => (arabic_persian_reading(word).into_iter())
            .chain(arabic_foreign_readings(word))
            .collect(),
        _ => Vec::new(),
    }
}

/// Transliterates a name into lower-case ASCII Latin.
///
/// Runs [`crate::normalize`] first, then maps every letter; word boundaries
/// become single spaces and other punctuation is kept as it is (the caller
/// tokenises, e.g. with [`crate::tokens`]). Letters with no known mapping are
/// dropped. Han characters and Hangul syllable blocks each become a separate
/// word.
///
/// ```
/// use redline_names::to_latin;
/// assert_eq!(to_latin("Владимир Путин"), "vladimir putin");
/// assert_eq!(to_latin("José Müller"), "jose muller");
/// assert_eq!(to_latin("习近平"), "xi jin ping");
/// assert_eq!(to_latin("ООО «Промтехнология»"), "ooo «promtekhnologiya»");
/// ```
pub fn to_latin(text: &str) -> String {
    let norm = normalize(text);
    if norm.is_ascii() {
        return norm;
    }
    transliterate(&norm)
}

/// Transliterates text that has already been through [`normalize`].
pub(crate) fn transliterate(norm: &str) -> String {
    let chars: Vec<char> = norm.chars().collect();
    let mut w = Writer::with_capacity(norm.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii() {
            if c == ' ' {
                w.space();
            } else if c.is_ascii_alphanumeric() {
                w.alnum_char(c);
            } else {
                w.other(c);
            }
            continue;
        }
        match classify(c) {
            CharClass::Mark => {
                // Diacritics and Arabic harakat are dropped; vowel signs of
                // Indic and other scripts carry vowels.
                if !matches!(c.script(), Script::Inherited | Script::Common) {
                    w.alnum(other_letter(c));
                }
            }
            CharClass::Latin => w.alnum(latin::letter(c)),
            CharClass::Cyrillic => w.alnum(cyrillic::letter(c)),
            CharClass::Greek => w.alnum(greek::letter(&chars, i)),
            CharClass::Arabic => {
                let s = arabic::letter(&chars, i, w.last_char());
                w.alnum(s);
            }
            CharClass::Han => {
                w.syllable(han::pinyin_at(&chars, i).or_else(|| deunicode::deunicode_char(c)));
            }
            CharClass::Hangul => w.syllable(deunicode::deunicode_char(c)),
            CharClass::OtherLetter => {
                if let Some(u) = armenian_u(&chars, i) {
                    w.alnum(u);
                    continue;
                }
                w.alnum(other_letter(c));
                if devanagari_inherent_vowel(&chars, i) {
                    w.alnum("a");
                }
            }
            CharClass::NonLetter => {
                if c.is_whitespace() {
                    w.space();
                } else if c.is_numeric() {
                    w.alnum(deunicode::deunicode_char(c).unwrap_or(""));
                } else {
                    w.other(c);
                }
            }
        }
    }
    w.finish()
}

/// Letters and vowel signs of other scripts, via `deunicode`, except the
/// Devanagari long vowels, which names write single (`मोदी` `modi`, not
/// `modii`).
fn other_letter(c: char) -> &'static str {
    match c {
        'आ' | 'ा' => "a",
        'ई' | 'ी' => "i",
        'ऊ' | 'ू' => "u",
        'ऑ' | 'ॉ' => "o",
        _ => deunicode::deunicode_char(c).unwrap_or(""),
    }
}

/// Armenian writes `u` with two letters, `ու` (`Պուտին` Putin): the pair reads `u`,
/// not `deunicode`'s letter-by-letter `ow`. `Some` for either letter of the pair.
fn armenian_u(chars: &[char], i: usize) -> Option<&'static str> {
    let (o, w) = (['ո', 'Ո'], ['ւ', 'Ւ']);
    if o.contains(&chars[i]) && chars.get(i + 1).is_some_and(|n| w.contains(n)) {
        Some("u")
    } else if w.contains(&chars[i]) && i > 0 && o.contains(&chars[i - 1]) {
        Some("")
    } else {
        None
    }
}

/// Does the Devanagari consonant at `chars[i]` carry its inherent `a`?
///
/// `deunicode` spells Devanagari consonants without their inherent vowel
/// (`नरेन्द्र` would become `nrendr`). The vowel is written unless a virama,
/// nukta or vowel sign follows; at the end of a word it is dropped (Hindi
/// schwa deletion, `राम` `ram`) except after a conjunct (`नरेन्द्र`
/// `narendra`).
fn devanagari_inherent_vowel(chars: &[char], i: usize) -> bool {
    let is_consonant = |c: char| matches!(c, '\u{0915}'..='\u{0939}' | '\u{0958}'..='\u{095F}');
    if !is_consonant(chars[i]) {
        return false;
    }
    match chars.get(i + 1) {
        // Nukta, vowel signs, virama.
        Some('\u{093A}'..='\u{094F}' | '\u{0955}'..='\u{0957}' | '\u{0962}'..='\u{0963}') => false,
        // Another letter or a nasal/visarga sign: the vowel is pronounced.
        Some('\u{0900}'..='\u{0939}' | '\u{0958}'..='\u{0961}') => true,
        // End of the word: only after a conjunct.
        _ => i > 0 && chars[i - 1] == '\u{094D}',
    }
}

/// Output buffer that keeps word boundaries as single spaces.
struct Writer {
    out: String,
    /// A syllable word (Han, Hangul) was just written: the next letter starts
    /// a new word.
    pending_sep: bool,
}

impl Writer {
    fn with_capacity(n: usize) -> Self {
        Self {
            out: String::with_capacity(n),
            pending_sep: false,
        }
    }

    fn last_char(&self) -> Option<char> {
        self.out.chars().next_back()
    }

    fn last_is_alnum(&self) -> bool {
        self.out
            .as_bytes()
            .last()
            .is_some_and(u8::is_ascii_alphanumeric)
    }

    fn space(&mut self) {
        self.pending_sep = false;
        if !self.out.is_empty() && !self.out.ends_with(' ') {
            self.out.push(' ');
        }
    }

    /// Appends the ASCII letters and digits of `s`, lower-cased; a space in
    /// `s` is a word boundary, anything else is ignored.
    fn alnum(&mut self, s: &str) {
        for ch in s.chars() {
            if ch.is_ascii_alphanumeric() {
                self.alnum_char(ch);
            } else if ch == ' ' {
                self.space();
            }
        }
    }

    /// Appends one ASCII letter or digit, lower-cased.
    fn alnum_char(&mut self, ch: char) {
        if self.pending_sep && self.last_is_alnum() {
            self.out.push(' ');
        }
        self.pending_sep = false;
        self.out.push(ch.to_ascii_lowercase());
    }

    /// Appends a syllable as a word of its own.
    fn syllable(&mut self, s: Option<&str>) {
        let Some(s) = s else { return };
        if self.last_is_alnum() {
            self.out.push(' ');
        }
        self.pending_sep = false;
        self.alnum(s.trim());
        self.pending_sep = true;
    }

    fn other(&mut self, c: char) {
        self.pending_sep = false;
        self.out.push(c);
    }

    fn finish(mut self) -> String {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        self.out
    }
}

pub(crate) fn warm_up() {
    han::warm_up();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_names() {
        assert_eq!(to_latin("Владимир Путин"), "vladimir putin");
        assert_eq!(
            to_latin("Путин Владимир Владимирович"),
            "putin vladimir vladimirovich"
        );
        assert_eq!(to_latin("Сергей Шойгу"), "sergey shoygu");
        assert_eq!(to_latin("Евгений Пригожин"), "evgeniy prigozhin");
        assert_eq!(to_latin("Алексей Мордашов"), "aleksey mordashov");
        assert_eq!(to_latin("Роман Абрамович"), "roman abramovich");
        assert_eq!(to_latin("Олег Дерипаска"), "oleg deripaska");
        assert_eq!(to_latin("Юрий Ковальчук"), "yuriy kovalchuk");
        assert_eq!(to_latin("Щукин Артём"), "shchukin artem");
        assert_eq!(
            to_latin("Объединённая судостроительная корпорация"),
            "obedinennaya sudostroitelnaya korporatsiya"
        );
        assert_eq!(to_latin("Эльвира Набиуллина"), "elvira nabiullina");
        assert_eq!(to_latin("ПАО Сбербанк"), "pao sberbank");
    }

    #[test]
    fn armenian_u_is_one_vowel() {
        // Wikidata's Armenian label of Vladimir Putin.
        assert_eq!(to_latin("Վլադիմիր Պուտին"), "vladimir putin");
    }

    #[test]
    fn other_cyrillic_languages() {
        // Ukrainian: г stays g (the Russian-form spelling OFAC mostly lists).
        assert_eq!(to_latin("Віктор Янукович"), "viktor yanukovich");
        assert_eq!(to_latin("Київ Ґудзь Євген"), "kiyiv gudz yevgen");
        // Belarusian ў.
        assert_eq!(
            to_latin("Лукашэнка Аляксандр Рыгоравіч"),
            "lukashenka alyaksandr rygoravich"
        );
        assert_eq!(to_latin("Ўладзімір"), "uladzimir");
        // Serbian / Macedonian.
        assert_eq!(to_latin("Љубиша Ђорђевић"), "ljubisha dordevic");
        assert_eq!(to_latin("Џафер Ѓорѓи Ќосе"), "dzafer gorgi kose");
        // Kazakh.
        assert_eq!(to_latin("Қасым-Жомарт Тоқаев"), "kasym-zhomart tokaev");
        assert_eq!(to_latin("Нұрсұлтан Әбішұлы"), "nursultan abishuly");
    }

    #[test]
    fn latin_diacritics() {
        assert_eq!(to_latin("José"), "jose");
        assert_eq!(to_latin("Müller"), "muller");
        assert_eq!(to_latin("Straße"), "strasse");
        assert_eq!(to_latin("Æsir Œuvre"), "aesir oeuvre");
        assert_eq!(to_latin("Søren Łukasz"), "soren lukasz");
        assert_eq!(to_latin("Đorđe Ðuro"), "dorde duro");
        assert_eq!(to_latin("Þór Ingólfsson"), "thor ingolfsson");
        assert_eq!(to_latin("Kılıçdaroğlu"), "kilicdaroglu");
        assert_eq!(to_latin("İlham Əliyev"), "ilham aliyev");
        assert_eq!(to_latin("Nguyễn Tấn Dũng"), "nguyen tan dung");
        assert_eq!(
            to_latin("François Hollande-Čapek"),
            "francois hollande-capek"
        );
    }

    #[test]
    fn greek_names() {
        assert_eq!(to_latin("Αλέξης Τσίπρας"), "alexis tsipras");
        assert_eq!(to_latin("Κυριάκος Μητσοτάκης"), "kyriakos mitsotakis");
        assert_eq!(to_latin("Ευάγγελος Βενιζέλος"), "evangelos venizelos");
        assert_eq!(to_latin("Παύλος"), "pavlos");
        assert_eq!(to_latin("Ευθύμιος"), "efthymios");
        assert_eq!(to_latin("Μπουμπουλίνα"), "boumpoulina");
        assert_eq!(to_latin("Γιώργος Χατζής"), "giorgos chatzis");
        assert_eq!(to_latin("Ψαρρός Θεόδωρος"), "psarros theodoros");
    }

    #[test]
    fn arabic_names() {
        let m = to_latin("محمد");
        assert!(m.starts_with('m'), "{m}");
        assert_eq!(m, "mhmd");
        assert_eq!(to_latin("مُحَمَّد"), "mhmd");
        assert_eq!(to_latin("علي"), "ali");
        assert_eq!(to_latin("عبد الله"), "abd allh");
        assert_eq!(to_latin("إسماعيل"), "ismail");
        assert_eq!(to_latin("عاشور"), "ashur");
        assert_eq!(to_latin("يوسف"), "yusf");
        assert_eq!(to_latin("وليد"), "wlid");
        assert_eq!(to_latin("القاعدة"), "alqada");
        assert_eq!(to_latin("حسن نصرالله"), "hsn nsrallh");
        // Persian letters and digits.
        assert_eq!(to_latin("پژمان چگینی"), "pzhman chgini");
        assert_eq!(to_latin("٢٠٢٤"), "2024");
    }

    #[test]
    fn han_names() {
        assert_eq!(to_latin("习近平"), "xi jin ping");
        assert_eq!(to_latin("習近平"), "xi jin ping");
        assert_eq!(
            to_latin("北京华为技术有限公司"),
            "bei jing hua wei ji shu you xian gong si"
        );
        assert_eq!(to_latin("華為"), "hua wei");
        assert_eq!(to_latin("华为Technologies"), "hua wei technologies");
        assert_eq!(to_latin("华为（中国）"), "hua wei(zhong guo)");
        assert_eq!(to_latin("中国银行"), "zhong guo yin hang");
        assert_eq!(to_latin("成都"), "cheng du");
        assert_eq!(to_latin("张磊 ZHANG Lei"), "zhang lei zhang lei");
    }

    #[test]
    fn other_scripts_via_fallback() {
        assert_eq!(to_latin("김정은"), "gim jeong eun");
        assert!(to_latin("ბიძინა ივანიშვილი").ends_with(" ivanishvili"));
        let he = to_latin("בנימין נתניהו");
        assert!(he.is_ascii() && he.contains(' ') && !he.is_empty(), "{he}");
        assert_eq!(to_latin("नरेन्द्र मोदी"), "narendra modi");
        assert_eq!(to_latin("राम"), "ram");
        assert_eq!(to_latin("अमित शाह"), "amit shah");
        assert_eq!(to_latin("संजय"), "sanjay");
        let ja = to_latin("カタカナ");
        assert_eq!(ja, "katakana");
        assert!(to_latin("Армен Սարգսյան").is_ascii());
    }

    #[test]
    fn punctuation_kept_and_spaces_single() {
        assert_eq!(to_latin("Ким  Чен Ын"), "kim chen yn");
        assert_eq!(to_latin("Ибн-Сина, «Альфа»"), "ibn-sina, «alfa»");
        assert_eq!(to_latin("ъ ь"), "");
    }
}
