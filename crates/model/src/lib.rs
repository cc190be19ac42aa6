//! The one entity model every list source is read into.
//!
//! A list entry from OFAC, the UN, HM Treasury or OpenSanctions becomes an [`Entity`]
//! with a stable id `<source>:<native id>`. The model keeps what the list says with its
//! nuance — which names are strong or weak aliases, how precise a birth date is, which
//! country an identifier was issued by — because the matching engine weighs each
//! differently and an analyst must be able to see the list's own words (remarks are
//! kept verbatim).

pub mod countries;
pub mod date;
mod entity;
pub mod ftm;
pub mod registry;

pub use date::{DateValue, PartialDate};
pub use entity::*;
