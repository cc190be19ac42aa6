//! Prints normalize / to_latin / tokens for each argument (debugging aid).
//!
//! `cargo run -p redline-names --example show -- "Владимир Путин" 习近平`

fn main() {
    for arg in std::env::args().skip(1) {
        println!("{arg}");
        println!("  normalize: {}", redline_names::normalize(&arg));
        println!("  to_latin:  {}", redline_names::to_latin(&arg));
        println!("  tokens:    {:?}", redline_names::tokens(&arg));
        println!("  script:    {:?}", redline_names::script_of(&arg));
        let toks = redline_names::tokens(&arg);
        let spans = redline_names::legal_form_spans(&toks);
        if !spans.is_empty() {
            println!("  legal:     {spans:?}");
        }
    }
}
