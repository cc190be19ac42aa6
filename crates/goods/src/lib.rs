//! Export-control screening of trade transactions: the goods, the route and the parties.
//!
//! Why this crate: Russia's military industry obtains Western components through third
//! countries. The US, EU, UK and Japan publish the *Common High Priority List* (CHPL) —
//! 50 HS-6 codes, from Tier 1 integrated circuits to Tier 4 machine tools — and FinCEN
//! and BIS ask banks financing or paying for trade to look for these goods, for routes
//! through known transshipment hubs, and for listed parties. A name screen alone misses
//! a clean-looking buyer in Almaty ordering microcontrollers for Moscow; this crate puts
//! the goods, the route and the parties into one decision.
//!
//! - [`hs`]: HS codes as traders write them (`8542.31.0000`, `854231`, `8542 31`) and the
//!   HS 2022 nomenclature; an invalid code is an error naming the problem.
//! - [`list`]: goods lists (the CHPL of 2024-02-23 is built in; others load from CSV
//!   bytes), matched by declared code and by description, every hit with list, version
//!   and row.
//! - [`taxonomy`]: goods descriptions in English, Russian and Chinese → HS codes with a
//!   confidence ([`screen_description`] also serves payment remittance text).
//! - [`route`]: the route policy — country, region and city risk, thresholds and
//!   actions — with a reviewed default.
//! - [`trade`]: [`screen_trade`] → [`TradeDecision`] (PASS, HOLD or BLOCK with reasons);
//!   the decision rules are documented there, for a compliance officer to read.
//!
//! Like every Redline library crate this one does no I/O: lists and policies come in as
//! bytes or text, decisions go out as values that serialise to JSON.
//!
//! The rest of this page is the crate's README: how to read a trade decision, with a
//! worked example.
//!
#![doc = include_str!("../README.md")]

pub mod error;
pub mod hs;
pub mod list;
pub mod route;
pub mod taxonomy;
mod text;
pub mod trade;

pub use error::GoodsError;
pub use hs::{HsCode, HsCodeError, HsEntry, Nomenclature};
pub use list::{CodeLevel, GoodsHit, GoodsList, ListedItem, MatchedBy};
pub use route::{Action, Actions, Place, ResolvedBy, Risk, RoutePolicy, Thresholds};
pub use taxonomy::{Candidate, Lang, MatchedTerm, Strength, Taxonomy};
pub use trade::{
    screen_trade, screen_trade_with, GoodsLine, GoodsLineResult, Reason, Route, RoutePoint, Scope,
    Trade, TradeDecision, TradeParty, Vessel, What,
};

/// The built-in goods list's items named by a free text — a goods description, an
/// invoice line, a payment's remittance information — in English, Russian or Chinese,
/// most confident first. Equivalent to
/// `GoodsList::builtin().screen_description(text)`.
///
/// ```
/// let hits = redline_goods::screen_description("Подшипники шариковые радиальные 6204");
/// assert_eq!(hits[0].hs_code, "8482.10");
/// assert_eq!(hits[0].tier, "Tier 3.B");
/// assert!(redline_goods::screen_description("cotton t-shirts").is_empty());
/// ```
pub fn screen_description(text: &str) -> Vec<GoodsHit> {
    GoodsList::builtin().screen_description(text)
}
