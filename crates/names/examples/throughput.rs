//! Throughput check for whole-list processing (not a benchmark harness).
//!
//! `cargo run --release -p redline-names --example throughput [FILE]`
//! transliterates and tokenises every line of FILE (one name per line), or a
//! built-in multi-script sample repeated to 100,000 names, and prints the
//! time taken.

use std::time::Instant;

const SAMPLE: &[&str] = &[
    "Vladimir Vladimirovich PUTIN",
    "Владимир Путин",
    "Путин Владимир Владимирович",
    "Vlаdimir Рutin",
    "ООО «Промтехнология»",
    "Public Joint Stock Company Sberbank of Russia",
    "北京华为技术有限公司",
    "習近平",
    "محمد بن سلمان آل سعود",
    "Αλέξης Τσίπρας",
    "José María Müller-Lüdenscheidt",
    "HUAWEI TECHNOLOGIES CO., LTD.",
    "김정은",
    "AL-QAIDA IN THE ARABIAN PENINSULA",
    "Bank Melli Iran",
    "Евгений Викторович Пригожин",
];

fn main() {
    let names: Vec<String> = match std::env::args().nth(1) {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(text) => text.lines().map(str::to_string).collect(),
            Err(e) => {
                eprintln!("cannot read {path}: {e}");
                std::process::exit(1);
            }
        },
        None => SAMPLE
            .iter()
            .cycle()
            .take(100_000)
            .map(|s| s.to_string())
            .collect(),
    };
    let start = Instant::now();
    redline_names::warm_up();
    let warm = start.elapsed();

    let start = Instant::now();
    let mut total_tokens = 0usize;
    let mut spans = 0usize;
    for name in &names {
        let toks = redline_names::tokens(name);
        spans += redline_names::legal_form_spans(&toks).len();
        total_tokens += toks.len();
    }
    let elapsed = start.elapsed();
    println!(
        "warm-up {warm:?}; {} names, {total_tokens} tokens, {spans} legal forms in {elapsed:?} ({:.2} µs/name)",
        names.len(),
        elapsed.as_secs_f64() * 1e6 / names.len().max(1) as f64
    );
}
