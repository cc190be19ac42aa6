//! `redline trade screen`: a trade transaction (parties, goods, route, vessel) to
//! PASS / HOLD / BLOCK with reasons. Exit code: 0 PASS, 1 HOLD, 2 BLOCK, 3 error.

use std::path::Path;

use anyhow::{Context as _, Result};
use redline_goods::{GoodsList, RoutePolicy, Trade};
use redline_store::Store;

use crate::context;

/// An operator goods list (CHPL CSV shape) or route policy (TOML), else the built-ins.
pub fn lists(goods: Option<&Path>, routes: Option<&Path>) -> Result<(GoodsList, RoutePolicy)> {
    let goods = match goods {
        None => GoodsList::builtin().clone(),
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or("goods");
            GoodsList::from_csv(name, &p.display().to_string(), &bytes)?
        }
    };
    let routes = match routes {
        None => RoutePolicy::builtin().clone(),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            RoutePolicy::from_toml(&text).with_context(|| p.display().to_string())?
        }
    };
    Ok((goods, routes))
}

pub fn screen(
    store: &mut dyn Store,
    path: &Path,
    goods_list: Option<&Path>,
    route_policy: Option<&Path>,
    freshness: &redline_store::FreshnessPolicy,
    json_out: bool,
) -> Result<u8> {
    let (goods, routes) = lists(goods_list, route_policy)?;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let trade: Trade = match serde_path_to_error::deserialize(&mut de) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {}: {}: {}", path.display(), e.path(), e.inner());
            return Ok(3);
        }
    };
    let snapshot = context::load_snapshot(store)?;
    let mut answer = redline_server::trade::decide(&trade, &snapshot, &goods, &routes);
    let at = context::now_rfc3339();
    snapshot.note_stale_lists(&mut answer, freshness, &at);
    let (id, alert) =
        redline_server::trade::record(store, &snapshot.index, &bytes, &answer, "cli", &at)?;
    answer["decision_id"] = id.into();
    if let Some(alert) = alert {
        answer["alert_id"] = alert.into();
    }
    let verdict = answer["decision"].as_str().unwrap_or("HOLD").to_string();
    if json_out {
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        println!("{}: {verdict} (decision {id})", path.display());
        for r in answer["reasons"].as_array().into_iter().flatten() {
            println!(
                "  {:<5} {:<7} {}",
                r["action"].as_str().unwrap_or(""),
                r["scope"].as_str().unwrap_or(""),
                r["detail"].as_str().or(r["what"].as_str()).unwrap_or("")
            );
        }
    }
    Ok(match verdict.as_str() {
        "PASS" => 0,
        "HOLD" => 1,
        _ => 2,
    })
}
