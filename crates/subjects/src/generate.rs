//! Synthetic customer files for benchmarks and tests.
//!
//! A bank's customer base is mostly people and companies nobody lists, written in
//! many cultures and scripts, with a thin share of names that are listed — rarely
//! spelt as the list spells them. The generator mixes given names and surnames per
//! culture (Latin, Cyrillic, Arabic and Han scripts), company names with legal forms,
//! birth dates and countries, and — for a chosen share of rows — a listed entity's
//! name with one realistic variation (order, case, a dropped middle name, a typo,
//! an initial). It is deterministic for a seed, so benchmark figures can be
//! reproduced exactly.

use redline_model::{Entity, NameKind, Schema};

use crate::Subject;

/// SplitMix64: a tiny, well-known deterministic generator; reproducibility matters
/// here, not cryptographic quality.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

struct Culture {
    country: &'static str,
    given: &'static [&'static str],
    family: &'static [&'static str],
    /// Family name first (Chinese, Korean, Hungarian …).
    family_first: bool,
}

const CULTURES: &[Culture] = &[
    Culture {
        country: "US",
        given: &[
            "James",
            "Mary",
            "Robert",
            "Patricia",
            "John",
            "Jennifer",
            "Michael",
            "Linda",
            "David",
            "Elizabeth",
            "William",
            "Susan",
            "Richard",
            "Jessica",
            "Thomas",
            "Karen",
        ],
        family: &[
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
            "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris",
        ],
        family_first: false,
    },
    Culture {
        country: "GB",
        given: &[
            "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie",
            "Sophie",
        ],
        family: &[
            "Evans", "Roberts", "Walker", "Wright", "Hughes", "Edwards", "Green", "Hall", "Wood",
            "Clarke",
        ],
        family_first: false,
    },
    Culture {
        country: "DE",
        given: &[
            "Lukas",
            "Anna",
            "Maximilian",
            "Lea",
            "Felix",
            "Sophie",
            "Jonas",
            "Marie",
            "Paul",
            "Johanna",
        ],
        family: &[
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Schulz",
            "Hoffmann",
        ],
        family_first: false,
    },
    Culture {
        country: "FR",
        given: &[
            "Jean", "Marie", "Pierre", "Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon",
        ],
        family: &[
            "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
            "Leroy", "Moreau",
        ],
        family_first: false,
    },
    Culture {
        country: "ES",
        given: &[
            "José",
            "María",
            "Antonio",
            "Carmen",
            "Manuel",
            "Lucía",
            "Francisco",
            "Isabel",
            "Javier",
            "Elena",
        ],
        family: &[
            "García Pérez",
            "Fernández López",
            "González Ruiz",
            "Rodríguez Díaz",
            "Martínez Moreno",
            "Sánchez Gómez",
            "Romero Alonso",
            "Navarro Torres",
        ],
        family_first: false,
    },
    Culture {
        country: "MX",
        given: &[
            "Alejandro",
            "Guadalupe",
            "Juan Carlos",
            "Ana Sofía",
            "Luis Fernando",
            "Mariana",
        ],
        family: &[
            "Hernández",
            "Ramírez",
            "Cruz",
            "Flores",
            "Morales",
            "Reyes",
            "Gutiérrez",
            "Mendoza",
        ],
        family_first: false,
    },
    Culture {
        country: "RU",
        given: &[
            "Александр",
            "Елена",
            "Дмитрий",
            "Ольга",
            "Сергей",
            "Наталья",
            "Андрей",
            "Татьяна",
            "Алексей",
            "Ирина",
        ],
        family: &[
            "Смирнов",
            "Кузнецов",
            "Попов",
            "Соколов",
            "Лебедев",
            "Новиков",
            "Морозов",
            "Волков",
            "Фёдоров",
            "Павлов",
        ],
        family_first: true,
    },
    Culture {
        country: "RU",
        given: &[
            "Aleksandr",
            "Yelena",
            "Dmitriy",
            "Olga",
            "Sergey",
            "Natalya",
            "Andrey",
            "Tatyana",
            "Aleksey",
            "Irina",
        ],
        family: &[
            "Smirnov",
            "Kuznetsov",
            "Popov",
            "Sokolov",
            "Lebedev",
            "Novikov",
            "Morozov",
            "Volkov",
            "Fedorov",
            "Pavlov",
        ],
        family_first: false,
    },
    Culture {
        country: "UA",
        given: &[
            "Oleksandr",
            "Olena",
            "Mykola",
            "Iryna",
            "Andriy",
            "Oksana",
            "Taras",
            "Natalia",
        ],
        family: &[
            "Shevchenko",
            "Kovalenko",
            "Bondarenko",
            "Tkachenko",
            "Kravchenko",
            "Melnyk",
            "Boyko",
            "Koval",
        ],
        family_first: false,
    },
    Culture {
        country: "EG",
        given: &[
            "Ahmed", "Fatma", "Mohamed", "Aya", "Mahmoud", "Nour", "Omar", "Salma", "Youssef",
            "Mariam",
        ],
        family: &[
            "Hassan",
            "Ibrahim",
            "Mostafa",
            "Abdelrahman",
            "Saleh",
            "Fathy",
            "Sayed",
            "Farouk",
            "Mansour",
            "Nasser",
        ],
        family_first: false,
    },
    Culture {
        country: "SA",
        given: &[
            "محمد",
            "فاطمة",
            "عبدالله",
            "نورة",
            "خالد",
            "سارة",
            "فهد",
            "ريم",
        ],
        family: &[
            "العتيبي",
            "القحطاني",
            "الشهري",
            "الغامدي",
            "الزهراني",
            "الدوسري",
            "المطيري",
            "الحربي",
        ],
        family_first: false,
    },
    Culture {
        country: "CN",
        given: &["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军"],
        family: &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"],
        family_first: true,
    },
    Culture {
        country: "CN",
        given: &[
            "Wei", "Fang", "Na", "Min", "Jing", "Lei", "Yang", "Yan", "Yong", "Jun",
        ],
        family: &[
            "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
        ],
        family_first: true,
    },
    Culture {
        country: "IN",
        given: &[
            "Aarav", "Priya", "Vivaan", "Ananya", "Aditya", "Diya", "Arjun", "Isha", "Rohan",
            "Kavya",
        ],
        family: &[
            "Sharma", "Verma", "Gupta", "Patel", "Reddy", "Iyer", "Nair", "Singh", "Kumar", "Das",
        ],
        family_first: false,
    },
    Culture {
        country: "TR",
        given: &[
            "Mehmet", "Ayşe", "Mustafa", "Fatma", "Ahmet", "Emine", "Ali", "Hatice", "Hüseyin",
            "Zeynep",
        ],
        family: &[
            "Yılmaz",
            "Kaya",
            "Demir",
            "Şahin",
            "Çelik",
            "Yıldız",
            "Yıldırım",
            "Öztürk",
            "Aydın",
            "Özdemir",
        ],
        family_first: false,
    },
    Culture {
        country: "KR",
        given: &["Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Ji-woo"],
        family: &["Kim", "Lee", "Park", "Choi", "Jung", "Kang"],
        family_first: true,
    },
    Culture {
        country: "NG",
        given: &[
            "Chinedu",
            "Ngozi",
            "Oluwaseun",
            "Aisha",
            "Emeka",
            "Funmilayo",
            "Ibrahim",
            "Chiamaka",
        ],
        family: &[
            "Okafor", "Adeyemi", "Eze", "Bello", "Okonkwo", "Abubakar", "Nwosu", "Balogun",
        ],
        family_first: false,
    },
    Culture {
        country: "BR",
        given: &[
            "Gabriel", "Júlia", "Lucas", "Beatriz", "Matheus", "Larissa", "Rafael", "Camila",
        ],
        family: &[
            "Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Ferreira", "Almeida",
        ],
        family_first: false,
    },
];

const COMPANY_WORDS: &[&str] = &[
    "Northern",
    "Atlas",
    "Blue River",
    "Golden Gate",
    "Pacific",
    "Alpine",
    "Sunrise",
    "Evergreen",
    "Meridian",
    "Crescent",
    "Harbor",
    "Summit",
    "Pioneer",
    "Silverline",
    "Orion",
    "Delta",
    "Vertex",
    "Maple",
    "Cedar",
    "Granite",
    "Horizon",
    "Lakeside",
    "Redwood",
    "Starlight",
];
const COMPANY_TRADES: &[&str] = &[
    "Logistics",
    "Trading",
    "Textiles",
    "Foods",
    "Consulting",
    "Engineering",
    "Holdings",
    "Pharmaceuticals",
    "Furniture",
    "Software",
    "Agro",
    "Shipping",
    "Construction",
    "Retail",
];
const LEGAL_FORMS: &[&str] = &[
    "Ltd",
    "LLC",
    "GmbH",
    "S.A.",
    "Inc.",
    "B.V.",
    "OOO",
    "AG",
    "S.r.l.",
    "Co., Ltd.",
    "Pte Ltd",
    "SARL",
];

/// A generated subject and, for the listed share, the entity it was derived from.
pub struct Generated {
    pub subject: Subject,
    pub listed_as: Option<String>,
}

fn person(rng: &mut Rng) -> (String, &'static str) {
    let c = &CULTURES[rng.below(CULTURES.len())];
    let given = rng.pick(c.given);
    let family = rng.pick(c.family);
    let joined = if c.family_first {
        // Han names are written without a space.
        if family.chars().all(|ch| ch as u32 >= 0x4E00) {
            format!("{family}{given}")
        } else {
            format!("{family} {given}")
        }
    } else if rng.chance(0.15) {
        format!("{}, {}", family.to_uppercase(), given)
    } else {
        format!("{given} {family}")
    };
    (joined, c.country)
}

fn company(rng: &mut Rng) -> (String, &'static str) {
    let c = &CULTURES[rng.below(CULTURES.len())];
    let name = format!(
        "{} {} {}",
        rng.pick(COMPANY_WORDS),
        rng.pick(COMPANY_TRADES),
        rng.pick(LEGAL_FORMS)
    );
    (name, c.country)
}

/// One realistic variation of a listed name.
fn vary(rng: &mut Rng, name: &str) -> String {
    let tokens: Vec<&str> = name.split([' ', ',']).filter(|t| !t.is_empty()).collect();
    match rng.below(6) {
        // Reordered (`LAST, First` → `First Last`).
        0 if tokens.len() >= 2 => {
            let mut t = tokens.clone();
            t.rotate_left(1);
            t.join(" ")
        }
        // Middle name dropped.
        1 if tokens.len() >= 3 => {
            let mut t = tokens.clone();
            t.remove(tokens.len() / 2);
            t.join(" ")
        }
        // One letter doubled (a typo).
        2 => {
            let chars: Vec<char> = name.chars().collect();
            let at = rng.below(chars.len());
            let mut out: String = chars[..=at.min(chars.len().saturating_sub(1))]
                .iter()
                .collect();
            out.extend(chars[at.min(chars.len().saturating_sub(1))..].iter());
            out
        }
        // Lower case, as typed.
        3 => name.to_lowercase(),
        // First token as an initial.
        4 if tokens.len() >= 3 => {
            let mut t: Vec<String> = tokens.iter().map(|s| s.to_string()).collect();
            let last = t.len() - 1;
            if let Some(c) = t[last].chars().next() {
                t[last] = format!("{c}.");
            }
            t.join(" ")
        }
        _ => name.to_string(),
    }
}

/// `count` subjects; about `listed_share` of them are variations of names of `listed`
/// (persons and organisations; their primary names).
pub fn generate(count: usize, listed_share: f64, listed: &[&Entity], seed: u64) -> Vec<Generated> {
    let mut rng = Rng::new(seed);
    let pool: Vec<(&Entity, &str)> = listed
        .iter()
        .filter(|e| matches!(e.schema, Schema::Person | Schema::Organization))
        .filter_map(|e| {
            e.names
                .iter()
                .find(|n| matches!(n.kind, NameKind::Primary | NameKind::StrongAlias))
                .map(|n| (*e, n.text.as_str()))
        })
        .collect();
    (0..count)
        .map(|i| {
            let id = format!("C{i:08}");
            if !pool.is_empty() && rng.chance(listed_share) {
                let (entity, name) = pool[rng.below(pool.len())];
                return Generated {
                    subject: Subject {
                        id,
                        name: vary(&mut rng, name),
                        schema: Some(entity.schema.as_str().to_string()),
                        birth_date: None,
                        country: None,
                        identifiers: Vec::new(),
                    },
                    listed_as: Some(entity.id.clone()),
                };
            }
            let is_person = rng.chance(0.8);
            let (name, country) = if is_person {
                person(&mut rng)
            } else {
                company(&mut rng)
            };
            let birth_date = is_person.then(|| {
                format!(
                    "{}-{:02}-{:02}",
                    1940 + rng.below(65),
                    1 + rng.below(12),
                    1 + rng.below(28)
                )
            });
            Generated {
                subject: Subject {
                    id,
                    name,
                    schema: Some(if is_person { "person" } else { "organization" }.to_string()),
                    birth_date,
                    country: Some(country.to_string()),
                    identifiers: Vec::new(),
                },
                listed_as: None,
            }
        })
        .collect()
}

/// Writes subjects as CSV (`id,name,schema,birth_date,country,identifiers`).
pub fn to_csv(
    subjects: impl IntoIterator<Item = Subject>,
    out: impl std::io::Write,
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(crate::input::FIELDS)?;
    for s in subjects {
        w.write_record([
            s.id.as_str(),
            &s.name,
            s.schema.as_deref().unwrap_or(""),
            s.birth_date.as_deref().unwrap_or(""),
            s.country.as_deref().unwrap_or(""),
            &s.identifiers.join(";"),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_mixed() {
        let a: Vec<String> = generate(200, 0.0, &[], 7)
            .into_iter()
            .map(|g| g.subject.name)
            .collect();
        let b: Vec<String> = generate(200, 0.0, &[], 7)
            .into_iter()
            .map(|g| g.subject.name)
            .collect();
        assert_eq!(a, b);
        assert!(a
            .iter()
            .any(|n| n.chars().any(|c| ('а'..='я').contains(&c))));
        assert!(a.iter().any(|n| n.chars().any(|c| c as u32 >= 0x4E00)));
        assert!(a
            .iter()
            .any(|n| n.ends_with("Ltd") || n.ends_with("LLC") || n.ends_with("GmbH")));
        let mut csv = Vec::new();
        to_csv(
            generate(3, 0.0, &[], 1).into_iter().map(|g| g.subject),
            &mut csv,
        )
        .unwrap();
        assert!(String::from_utf8(csv)
            .unwrap()
            .starts_with("id,name,schema,birth_date,country,identifiers\n"));
    }
}
