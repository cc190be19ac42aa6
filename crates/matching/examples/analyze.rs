//! Prints how names are analysed: `cargo run -p redline-matching --example analyze -- "NAME"...`
fn main() {
    for arg in std::env::args().skip(1) {
        let a = redline_matching::analyze::analyze(&arg);
        println!(
            "{arg:?} → tokens {:?} roles {:?} legal forms {:?} non-latin {}",
            a.tokens, a.roles, a.legal_forms, a.non_latin
        );
        println!("  names::tokens {:?}", redline_names::tokens(&arg));
    }
}
