//! Goods descriptions as they appear on invoices, declarations and payments, in English,
//! Russian and Chinese, screened against the built-in CHPL: a data-driven table of
//! descriptions and the listed code (or tier) each must reach, and unrelated goods that
//! must not reach any listed item.

use std::collections::BTreeSet;

use redline_goods::{screen_description, GoodsList, RoutePolicy, Taxonomy};

/// (description, expected: an HS code as the list writes it, or a tier).
const LISTED: &[(&str, &str)] = &[
    // ── English ──
    (
        "STM32F103C8T6 ARM Cortex-M3 microcontroller, LQFP48",
        "8542.31",
    ),
    ("Microcontrollers (MCU) 32-bit, 100 pcs/reel", "8542.31"),
    ("Xilinx XC7A35T-1CSG324C FPGA", "Tier 1"),
    ("Field programmable gate arrays", "Tier 1"),
    ("TMS320F28335 digital signal processor", "8542.31"),
    ("DDR4 SDRAM memory chips 8Gb", "8542.32"),
    ("NAND flash memory IC, 64Gb, TSOP48", "8542.32"),
    ("Serial EEPROM 24LC256-I/SN", "8542.32"),
    ("Low noise amplifier LNA MMIC 2-6 GHz", "8542.33"),
    ("Operational amplifiers, dual, SOIC-8", "8542.33"),
    ("RF power amplifier IC for 5.8 GHz video link", "8542.33"),
    (
        "Electronic integrated circuits: analog-to-digital converters",
        "8542.39",
    ),
    ("Managed Ethernet switch, 24 ports", "8517.62"),
    ("4G LTE industrial router with dual SIM", "8517.62"),
    ("SFP optical transceiver module 10G", "8517.62"),
    ("u-blox NEO-M8N GPS receiver module", "8526.91"),
    ("GNSS receiver board, RTK, multi-band", "8526.91"),
    ("Tantalum capacitors 10uF 16V, case B", "8532.21"),
    ("CAPACITOR, TANTALUM, SMD, 47UF", "8532.21"),
    ("MLCC 0805 X7R 100nF 50V", "8532.24"),
    ("Multilayer ceramic chip capacitors, 10000 pcs", "8532.24"),
    (
        "Printed circuit board assembly (PCBA) for industrial controller",
        "8548.00",
    ),
    ("Rack server 2U, dual Xeon, 256 GB", "8471.50"),
    ("Switching power supply 24V 10A DIN rail", "8504.40"),
    ("Thermal imaging camera 640x512", "8525.89"),
    ("GNSS antenna, active, L1/L2", "8529.10"),
    ("SMA coaxial RF connectors, gold plated", "8536.69"),
    ("Schottky diodes SS34, SMA package", "8541.10"),
    ("N-channel power MOSFET 60V 50A", "8541.29"),
    ("Quartz crystal resonator 16 MHz HC-49", "8541.60"),
    ("Optocoupler PC817, DIP-4", "8541.49"),
    ("Thyristor module 100A 1600V", "8541.30"),
    ("Deep groove ball bearings 6204-2RS", "8482.10"),
    ("Tapered roller bearing 30205", "8482.20"),
    ("Spare parts for UAV: carbon frame arms", "8807.30"),
    ("Riflescope 4-16x50 with illuminated reticle", "9013.10"),
    ("Fiber optic gyroscope for inertial navigation", "Tier 3.B"),
    (
        "Digital storage oscilloscope, 200 MHz, 4 channels",
        "9030.20",
    ),
    ("Wire bonder for semiconductor packaging", "8486.40"),
    (
        "Vertical machining center, 3-axis, Fanuc control",
        "8457.10",
    ),
    ("CNC lathe with Siemens 828D control", "Tier 4.B"),
    ("Arbitrary waveform generator, 2 channels", "8543.20"),
    ("Wafer probe station, 300 mm", "9030.82"),
    (
        "Multilayer printed circuit boards, FR4, 6 layers",
        "8534.00",
    ),
    // ── Russian ──
    (
        "Микросхемы интегральные электронные: процессоры и контроллеры",
        "8542.31",
    ),
    ("Микроконтроллеры STM32F407VGT6", "8542.31"),
    ("ПЛИС Altera EP4CE10E22C8N", "Tier 1"),
    ("Микросхемы памяти DDR3", "8542.32"),
    ("Операционные усилители", "8542.33"),
    ("Интегральные микросхемы", "Tier 1"),
    ("Маршрутизаторы и коммутаторы сетевые", "8517.62"),
    ("Радиостанции портативные носимые", "8517.62"),
    ("Навигационный приемник ГЛОНАСС/GPS", "8526.91"),
    ("Конденсаторы танталовые постоянной емкости", "8532.21"),
    ("Конденсаторы керамические многослойные", "8532.24"),
    ("Подшипники шариковые радиальные однорядные", "8482.10"),
    ("Поставка шарикоподшипников, 500 шт.", "8482.10"),
    ("Роликоподшипники конические", "8482.20"),
    ("Запчасти для БПЛА", "8807.30"),
    ("Оптический прицел 3-9x40", "9013.10"),
    ("Гироскопы волоконно-оптические", "Tier 3.B"),
    ("Осциллограф цифровой запоминающий", "9030.20"),
    ("Обрабатывающий центр вертикальный с ЧПУ", "8457.10"),
    ("Токарный станок с ЧПУ", "Tier 4.B"),
    ("Фрезерные станки с ЧПУ", "8459.61"),
    ("Платы печатные многослойные", "8534.00"),
    ("Блоки питания импульсные", "8504.40"),
    ("Тепловизор для охоты", "8525.89"),
    ("Разъемы коаксиальные", "8536.69"),
    ("Диоды Шоттки", "8541.10"),
    ("Транзисторы полевые", "Tier 3.A"),
    // ── Chinese ──
    ("微控制器 STM32F103C8T6", "8542.31"),
    ("单片机", "8542.31"),
    ("FPGA芯片", "Tier 1"),
    ("存储芯片 DDR4", "8542.32"),
    ("运算放大器", "8542.33"),
    ("集成电路", "8542.39"),
    ("積體電路", "8542.39"),
    ("工业交换机 24口", "8517.62"),
    ("对讲机", "8517.62"),
    ("北斗GPS模块", "8526.91"),
    ("钽电容 10uF", "8532.21"),
    ("贴片电容 0603 X7R", "8532.24"),
    ("PCBA电路板组件", "8548.00"),
    ("深沟球轴承 6205", "8482.10"),
    ("圆锥滚子轴承", "8482.20"),
    ("无人机配件 碳纤维机架", "8807.30"),
    ("光学瞄准镜", "9013.10"),
    ("光纤陀螺仪", "Tier 3.B"),
    ("数字示波器", "9030.20"),
    ("立式加工中心", "8457.10"),
    ("数控车床", "Tier 4.B"),
    ("光刻机", "8486.20"),
    ("印刷电路板", "8534.00"),
    ("信号发生器", "8543.20"),
    ("开关电源", "8504.40"),
    ("GNSS天线", "8529.10"),
    ("連接器", "8536.69"),
    ("光耦", "8541.49"),
    ("晶振 16MHz", "8541.60"),
];

/// Goods that are not on the list, in three languages: no listed item at all, not
/// even a possible one.
const UNRELATED: &[&str] = &[
    "Cotton t-shirts, men's, size L",
    "Frozen fish fillets (cod)",
    "Office chairs with armrests",
    "Potato chips, salted, 150 g bags",
    "Memory foam mattress",
    "Wooden dining tables",
    "Men's leather shoes",
    "Roasted coffee beans",
    "Ceramic floor tiles",
    "Fresh apples",
    "Seamless steel pipes",
    "Plastic toys for children",
    "SD memory card 64GB",
    "Футболки хлопковые мужские",
    "Рыба мороженая",
    "Офисные кресла",
    "Мебель деревянная",
    "Обувь кожаная",
    "Кофе в зернах",
    "Чипсы картофельные",
    "纯棉T恤",
    "冷冻鱼",
    "办公椅",
    "木制家具",
    "皮鞋",
    "咖啡豆",
    "薯片",
    "陶瓷地砖",
    "IC卡",
];

/// Generic words only: never a Tier 1 or Tier 2 hit.
const GENERIC: &[&str] = &[
    "electronic parts",
    "spare parts for equipment",
    "electronic components",
    "electrical equipment and accessories",
    "запчасти для оборудования",
    "электронные компоненты",
    "комплектующие",
    "电子元器件",
    "设备配件",
    "电子产品",
];

fn threshold() -> f64 {
    RoutePolicy::builtin().thresholds().description
}

#[test]
fn descriptions_in_three_languages_reach_the_listed_code() {
    let mut failures = Vec::new();
    for (text, expected) in LISTED {
        let hits = screen_description(text);
        let top = hits.first().filter(|h| h.confidence >= threshold());
        let ok = top.is_some_and(|h| {
            if expected.starts_with("Tier") {
                &h.tier == expected
            } else {
                &h.hs_code == expected
            }
        });
        if !ok {
            let got: Vec<String> = hits
                .iter()
                .map(|h| format!("{} {} {:.2}", h.hs_code, h.tier, h.confidence))
                .collect();
            failures.push(format!("{text:?}: expected {expected}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_table_covers_every_tier_and_three_languages() {
    assert!(LISTED.len() >= 60, "{}", LISTED.len());
    let list = GoodsList::builtin();
    let tiers: BTreeSet<String> = LISTED
        .iter()
        .map(|(_, e)| {
            if e.starts_with("Tier") {
                e.to_string()
            } else {
                list.items()
                    .iter()
                    .find(|i| &i.hs_code == e)
                    .map(|i| i.tier.clone())
                    .unwrap_or_else(|| panic!("{e} is not a CHPL code"))
            }
        })
        .collect();
    let all: BTreeSet<String> = list.items().iter().map(|i| i.tier.clone()).collect();
    assert_eq!(tiers, all);
    let han = LISTED
        .iter()
        .filter(|(t, _)| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        .count();
    let cyrillic = LISTED
        .iter()
        .filter(|(t, _)| t.chars().any(|c| ('\u{0400}'..='\u{04ff}').contains(&c)))
        .count();
    assert!(han >= 20 && cyrillic >= 20, "zh {han}, ru {cyrillic}");
    // Every Tier 1 and Tier 2 code is reached by some description.
    for item in list
        .items()
        .iter()
        .filter(|i| i.tier == "Tier 1" || i.tier == "Tier 2")
    {
        assert!(
            LISTED.iter().any(|(_, e)| *e == item.hs_code)
                || item.hs_code == "8542.39" && LISTED.iter().any(|(_, e)| *e == "Tier 1"),
            "{} has no description in the table",
            item.hs_code
        );
    }
}

#[test]
fn unrelated_goods_do_not_trigger() {
    for text in UNRELATED {
        let hits = screen_description(text);
        assert!(hits.is_empty(), "{text:?}: {hits:#?}");
    }
}

#[test]
fn generic_words_alone_never_reach_tier_1_or_2() {
    for text in GENERIC {
        let hits = screen_description(text);
        assert!(
            !hits
                .iter()
                .any(|h| h.tier == "Tier 1" || h.tier == "Tier 2"),
            "{text:?}: {hits:#?}"
        );
    }
}

#[test]
fn every_chpl_code_has_taxonomy_terms() {
    let codes = Taxonomy::builtin().codes();
    for item in GoodsList::builtin().items() {
        assert!(
            codes
                .iter()
                .any(|c| c.starts_with(&item.prefix) || item.prefix.starts_with(c.as_str())),
            "{} has no taxonomy group",
            item.hs_code
        );
    }
}

#[test]
fn hits_carry_provenance_terms_and_confidence() {
    let hits = screen_description("Подшипники шариковые радиальные 6204");
    let hit = &hits[0];
    assert_eq!(hit.hs_code, "8482.10");
    assert_eq!(hit.list, "chpl-2024-02-23");
    assert!(hit.version.starts_with("chpl-2024-02-23@"));
    let row = GoodsList::builtin()
        .items()
        .iter()
        .find(|i| i.hs_code == "8482.10")
        .map(|i| i.row);
    assert_eq!(Some(hit.row), row);
    assert_eq!(hit.candidate.as_deref(), Some("8482.10"));
    assert!(hit.terms.iter().any(|t| t.text.contains("подшипники")));
    // Inflected forms of one word meet: -и, -ов, -а.
    for form in ["шарикоподшипники", "шарикоподшипников", "шарикоподшипника"]
    {
        assert_eq!(screen_description(form)[0].hs_code, "8482.10", "{form}");
    }
    // A weak word alone is reported below the decision threshold.
    let weak = screen_description("bearing");
    assert!(!weak.is_empty() && weak.iter().all(|h| h.confidence < threshold()));
}

#[test]
fn remittance_text_is_screened_the_same_way() {
    let hits = screen_description(
        "/RFB/INV 2024-117 PAYMENT FOR MICROCONTROLLERS STM32F407 AND TANTALUM CAPACITORS",
    );
    let codes: BTreeSet<&str> = hits
        .iter()
        .filter(|h| h.confidence >= threshold())
        .map(|h| h.hs_code.as_str())
        .collect();
    assert!(
        codes.contains("8542.31") && codes.contains("8532.21"),
        "{codes:?}"
    );
    assert!(screen_description("/RFB/INV 2024-118 RENT FOR OFFICE, MARCH").is_empty());
}

#[test]
fn a_declared_code_and_words_disagreeing_is_visible() {
    // Mis-declared as computer parts (8473.30), described as FPGAs.
    let list = GoodsList::builtin();
    assert!(list.match_code("8473.30.1180").unwrap().is_empty());
    let hits = list.screen_description("FPGA development chips");
    assert_eq!(hits[0].tier, "Tier 1");
}
