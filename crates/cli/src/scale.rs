//! `redline bench --scale`: how index build, snapshot size, memory and query time grow
//! with the number of listed parties, up to the size of OpenSanctions' collections.
//!
//! No published file of a million sanctioned parties can ship with the repository, so
//! the parties are synthesised from the active lists: party `k` is a listed party with
//! its names recombined with another party's of the same kind (a person's family name,
//! a word of a company's name) and, for one in three, a letter changed — the variety
//! of a large collection (many parties, names that share most of their words), not
//! copies. Identifiers are made unique; dates, countries and programmes are kept. The
//! parties are written as FollowTheMoney JSON lines and each size is measured in a
//! fresh `redline bench --ftm FILE` process, which reads the file with the same reader
//! as `lists load --source opensanctions` — so the memory figures are one index's, not
//! the sum of all sizes.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use redline_model::{ftm, Entity, Schema};
use serde_json::{json, Value};

/// A stride through the base parties that reaches every one of them (it is prime;
/// where it divides their number, the next odd number is taken, which reaches them all
/// unless 89 divides it too), so that any prefix of the synthesised parties mixes every
/// list.
const STRIDE: usize = 7919;

/// splitmix64: a fixed, portable sequence, so the same sizes give the same files.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// One letter of `word` changed as typists and transcribers change them: two
/// neighbours swapped, one dropped, or one doubled.
fn misspell(word: &str, roll: u64) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return word.to_string();
    }
    let at = 1 + (roll as usize >> 8) % (chars.len() - 2);
    match roll % 3 {
        0 => chars.swap(at, at + 1),
        1 => {
            chars.remove(at);
        }
        _ => chars.insert(at, chars[at]),
    }
    chars.into_iter().collect()
}

/// `name` with one of its words taken from `other`: a person's last word (the family
/// name in most of the lists' orders), another party's word at a random place.
fn recombine(name: &str, other: &str, person: bool, roll: u64) -> String {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    let theirs: Vec<&str> = other.split_whitespace().collect();
    if words.is_empty() || theirs.is_empty() {
        return name.to_string();
    }
    let (mine, from) = if person {
        (words.len() - 1, theirs.len() - 1)
    } else {
        (
            (roll as usize >> 16) % words.len(),
            (roll as usize >> 24) % theirs.len(),
        )
    };
    words[mine] = theirs[from];
    let mut out = words.join(" ");
    if roll.is_multiple_of(3) {
        let target = (roll as usize >> 32) % words.len();
        out = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == target {
                    misspell(w, roll >> 40)
                } else {
                    (*w).to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    out
}

/// The `k`-th synthesised party: from `base`'s parties, grouped by `by_kind` (persons,
/// the rest) so that names are only recombined with names of their own kind.
fn synthesize_one(base: &[Entity], by_kind: &[Vec<usize>; 2], k: usize) -> Entity {
    let stride = if base.len().is_multiple_of(STRIDE) {
        STRIDE + 2
    } else {
        STRIDE
    };
    let mut entity = base[(k * stride) % base.len()].clone();
    let person = entity.schema == Schema::Person;
    let roll = mix(k as u64);
    // The first pass through the lists keeps them as they are: real names are
    // among the parties of every size.
    if k >= base.len() {
        let kind = &by_kind[usize::from(!person)];
        let other = &base[kind[(roll as usize) % kind.len()]];
        for (i, name) in entity.names.iter_mut().enumerate() {
            let theirs = &other.names[i % other.names.len()].text;
            name.text = recombine(&name.text, theirs, person, roll.rotate_left(i as u32));
        }
        for identifier in &mut entity.identifiers {
            identifier.value = format!("{}-{k}", identifier.value);
        }
    }
    entity.id = format!("synth-{k}");
    entity.links.clear();
    entity
}

/// Writes `n` parties synthesised from `base` to `path` as FtM JSON lines.
pub fn write_ftm(base: &[Entity], n: usize, path: &Path) -> Result<()> {
    let usable: Vec<Entity> = base
        .iter()
        .filter(|e| !e.names.is_empty())
        .cloned()
        .collect();
    if usable.is_empty() {
        bail!("no listed party to synthesise from: load a list first");
    }
    let mut by_kind: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    for (i, e) in usable.iter().enumerate() {
        by_kind[usize::from(e.schema != Schema::Person)].push(i);
    }
    for kind in &mut by_kind {
        if kind.is_empty() {
            kind.extend(0..usable.len());
        }
    }
    let file = std::fs::File::create(path).with_context(|| path.display().to_string())?;
    let mut out = BufWriter::new(file);
    for k in 0..n {
        let entity = synthesize_one(&usable, &by_kind, k);
        let line = json!({
            "id": entity.id,
            "schema": ftm::schema_to_ftm(entity.schema),
            "properties": ftm::properties(&entity),
        });
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Parses `--scale 15000,100k,1M`.
pub fn parse_sizes(text: &str) -> Result<Vec<usize>> {
    text.split(',')
        .map(|part| {
            let part = part.trim().to_ascii_lowercase();
            let (digits, factor) = match part.strip_suffix('m') {
                Some(d) => (d, 1_000_000),
                None => match part.strip_suffix('k') {
                    Some(d) => (d, 1_000),
                    None => (part.as_str(), 1),
                },
            };
            match digits
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_mul(factor))
            {
                Some(n) if n > 0 => Ok(n),
                _ => bail!("--scale {text:?}: expected sizes such as 15000,100k,1M"),
            }
        })
        .collect()
}

/// Measures each size in `sizes` in a fresh process and prints a table (or JSON).
pub fn run(
    base: &[Entity],
    sizes: &[usize],
    count: usize,
    keep: Option<&Path>,
    json_out: bool,
) -> Result<()> {
    let dir = match keep {
        Some(dir) => dir.to_path_buf(),
        None => std::env::temp_dir().join(format!("redline-scale-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).with_context(|| dir.display().to_string())?;
    let exe = std::env::current_exe().context("the redline binary's path")?;
    let mut reports = Vec::new();
    if !json_out {
        println!(
            "{:>9} {:>9} {:>9} {:>11} {:>12} {:>10} {:>10} {:>9} {:>9} {:>11}",
            "parties",
            "names",
            "read s",
            "build s",
            "snapshot MiB",
            "RSS MiB",
            "peak MiB",
            "p50 µs",
            "p99 µs",
            "batch q/s"
        );
    }
    let result = (|| -> Result<()> {
        for &n in sizes {
            let file: PathBuf = dir.join(format!("synthetic-{n}.ftm.json"));
            write_ftm(base, n, &file)?;
            let output = Command::new(&exe)
                .args(["bench", "--json", "--count", &count.to_string(), "--ftm"])
                .arg(&file)
                .output()
                .context("run redline bench --ftm")?;
            if !output.status.success() {
                bail!(
                    "redline bench --ftm {} failed: {}",
                    file.display(),
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            let report: Value = serde_json::from_slice(&output.stdout)
                .context("redline bench --ftm printed no JSON report")?;
            if keep.is_none() {
                let _ = std::fs::remove_file(&file);
            }
            if !json_out {
                let f = |key: &str| report[key].as_f64().unwrap_or(f64::NAN);
                println!(
                    "{:>9} {:>9} {:>9.1} {:>11.1} {:>12.0} {:>10.0} {:>10.0} {:>9.1} {:>9.1} {:>11.0}",
                    report["entities"].as_u64().unwrap_or_default(),
                    report["names"].as_u64().unwrap_or_default(),
                    f("read_seconds"),
                    f("index_build_seconds"),
                    f("snapshot_mib"),
                    f("resident_mib"),
                    f("peak_resident_mib"),
                    report["single_query_us"]["p50"]
                        .as_f64()
                        .unwrap_or(f64::NAN),
                    report["single_query_us"]["p99"]
                        .as_f64()
                        .unwrap_or(f64::NAN),
                    f("batch_queries_per_second"),
                );
            }
            reports.push(report);
        }
        Ok(())
    })();
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result?;
    if json_out {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_their_suffixes() {
        assert_eq!(
            parse_sizes("15000, 100k,1M").unwrap(),
            vec![15_000, 100_000, 1_000_000]
        );
        assert!(parse_sizes("many").is_err());
        assert!(parse_sizes("0").is_err());
        assert!(parse_sizes("99999999999999999999M").is_err());
    }

    #[test]
    fn a_misspelling_changes_one_letter_and_keeps_short_words() {
        assert_eq!(misspell("abc", 0), "abc");
        for roll in 0..30 {
            let changed = misspell("Rotenberg", (roll << 8) | (roll % 3));
            assert_ne!(changed, "Rotenberg");
            assert!(changed.chars().count().abs_diff(9) <= 1, "{changed}");
        }
    }

    #[test]
    fn a_person_gets_another_family_name() {
        assert_eq!(
            recombine("Arkady Romanovich ROTENBERG", "Gennady TIMCHENKO", true, 1),
            "Arkady Romanovich TIMCHENKO"
        );
    }
}
