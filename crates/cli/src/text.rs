//! `redline text screen`: listed parties named anywhere in a document.

use std::io::Read;
use std::path::Path;

use anyhow::{Context as _, Result};
use redline_matching::{Index, Options, TextMatch};
use serde_json::json;

/// Reads a document (`-`: standard input) as UTF-8 text.
pub fn read_document(path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Line and column (1-based, in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

pub fn screen(index: &Index, path: &Path, options: &Options, json_out: bool) -> Result<()> {
    let text = read_document(path)?;
    let matches: Vec<TextMatch> = index.find_in_text(&text, options);
    if json_out {
        let out: Vec<_> = matches
            .iter()
            .map(|m| {
                let (line, column) = line_col(&text, m.start);
                json!({
                    "entity_id": m.matched.entity_id,
                    "caption": m.matched.caption,
                    "score": m.matched.score,
                    "start": m.start,
                    "end": m.end,
                    "line": line,
                    "column": column,
                    "text": m.text,
                    "list_name": m.matched.name,
                    "programs": m.matched.programs,
                    "explanation": m.matched.explanation,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "document": path.display().to_string(),
                "list_versions": index.versions(),
                "matches": out,
            }))?
        );
        return Ok(());
    }
    if matches.is_empty() {
        println!(
            "no listed party named in {} (lists: {})",
            path.display(),
            index.versions().join(", ")
        );
        return Ok(());
    }
    for m in &matches {
        let (line, col) = line_col(&text, m.start);
        println!(
            "{}:{line}:{col}  {:.3}  {:<18} {}  \"{}\"  [{}]",
            path.display(),
            m.matched.score,
            m.matched.entity_id,
            m.matched.caption,
            m.text,
            m.matched.programs.join(", ")
        );
    }
    println!("lists: {}", index.versions().join(", "));
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_and_column_count_characters() {
        let text = "first line\nsecond Путин here";
        let offset = text.find("here").unwrap();
        assert_eq!(super::line_col(text, offset), (2, 14));
        assert_eq!(super::line_col(text, 0), (1, 1));
    }
}
