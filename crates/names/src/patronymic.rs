//! East Slavic patronymics (`Vladimirovich`, `Fedorovych`, `Ryhoravich`, `Viktorovna`).
//!
//! A Russian, Ukrainian or Belarusian record names a person with a patronymic
//! between the given name and the surname (`Viktor Vladimirovich Medvedchuk`),
//! while a list often has only `MEDVEDCHUK, Viktor`. The patronymic is derived
//! from the father's given name, so it narrows little; its absence from the list
//! says nothing against the match. The matching engine needs to tell such a token
//! from a name part of another person, and the suffixes do: every romanisation
//! writes `-ович`/`-евич` as `-ovich`, `-ovych`, `-owitsch`, `-ovitch` …, and
//! `-овна`/`-евна`/`-івна` as `-ovna`, `-owna`, `-ivna` ….
//!
//! The test is by suffix only, so a surname of that shape (`ABRAMOVICH`,
//! `YANUKOVYCH`) is taken for a patronymic too; the engine asks only whether a
//! token the list name lacks is one, after the rest of the list name has matched.

/// Male suffixes (`-ович`, `-евич`, Belarusian `-авіч`, Ukrainian `-ович`) and female
/// ones (`-овна`, `-евна`, Ukrainian `-івна`, `-ічна`), as the romanisations in use
/// write them (BGN/PCGN, ICAO, German and French press forms); and the Turkic
/// patronymics that Kazakh, Kyrgyz and Uzbek records write in their place
/// (`Әбдуәліұлы` for `Абдуалиевич`: `-uly`, `-ulu`, `-kyzy`, `-qizi`). Not the
/// Turkish and Azerbaijani `-oğlu`, which ends many surnames (`Davutoğlu`).
const SUFFIXES: &[&str] = &[
    "ovich", "evich", "avich", "ovych", "evych", "ovitch", "evitch", "owitsch", "ewitsch", "ovna",
    "evna", "avna", "ivna", "owna", "ewna", "ichna", "ychna", "uly", "ulu", "kyzy", "qyzy", "kizi",
    "qizi",
];

/// The fewest letters a patronymic keeps before its suffix (`Ilyich` is too short
/// to tell from `Ulrich`, so `-ich` alone is not a suffix at all).
const MIN_STEM: usize = 3;

/// Whether a lower-case ASCII token (as [`crate::tokens`] makes it) is shaped like
/// an East Slavic patronymic.
///
/// ```
/// use redline_names::is_patronymic;
/// assert!(is_patronymic("vladimirovich"));
/// assert!(is_patronymic("volodymyrivna"));
/// assert!(!is_patronymic("vladimir"));
/// ```
pub fn is_patronymic(token: &str) -> bool {
    SUFFIXES.iter().any(|suffix| {
        token
            .strip_suffix(suffix)
            .is_some_and(|stem| stem.len() >= MIN_STEM)
    })
}

/// What a patronymic says: the father's name, as its romanisation writes it, and
/// whether it is a daughter's (`-ovna`, `-kyzy`) or a son's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patronymic<'a> {
    pub father: &'a str,
    pub female: bool,
}

/// The patronymic `token` is, if it is one: `abdualievich` and the Kazakh
/// `abdualiuly` both name a son of `abduali`, so that one patronymic in two
/// languages is one name part, while `nikolayevna` names a daughter.
///
/// ```
/// use redline_names::patronymic_of;
/// assert_eq!(patronymic_of("abdualievich"), patronymic_of("abdualiuly"));
/// assert_ne!(patronymic_of("nikolayevich"), patronymic_of("nikolayevna"));
/// assert_eq!(patronymic_of("vladimir"), None);
/// ```
pub fn patronymic_of(token: &str) -> Option<Patronymic<'_>> {
    SUFFIXES
        .iter()
        .filter_map(|suffix| Some((token.strip_suffix(suffix)?, *suffix)))
        .filter(|(father, _)| father.len() >= MIN_STEM)
        // The longest suffix that fits (`-evich`, not `-vich`).
        .min_by_key(|(father, _)| father.len())
        .map(|(father, suffix)| Patronymic {
            father,
            female: suffix.ends_with("na") || suffix.ends_with("zy") || suffix.ends_with("zi"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens;

    #[test]
    fn patronymics_of_listed_russians_ukrainians_and_belarusians() {
        // OFAC SDN: LAVROV, Sergei Viktorovich; YANUKOVYCH, Viktor Fedorovych;
        // LUKASHENKA, Alyaksandr Ryhorovich; BURLINOVA, Natalya Valeryevna;
        // AZAROV, Mykola Yanovych; Belarusian LUKASHENKA's Рыгоравіч.
        for name in [
            "Viktorovich",
            "Fedorovych",
            "Ryhorovich",
            "Valeryevna",
            "Yanovych",
            "Рыгоравіч",
            "Григорьевна",
            "Володимирівна",
            "Wladimirowitsch",
            "Vladimirovitch",
            "Ильинична",
            // A Kazakh record of VASILIEV, Vladimir Abdualievich.
            "Әбдуәліұлы",
        ] {
            let token = &tokens(name)[0];
            assert!(is_patronymic(token), "{name} ({token})");
        }
    }

    #[test]
    fn given_names_surnames_and_short_words_are_not() {
        for token in [
            "vladimir", "ulrich", "ilyich", "petrov", "ivanova", "ovich", "sovna",
        ] {
            assert!(!is_patronymic(token), "{token}");
        }
    }
}
