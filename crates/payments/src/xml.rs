//! A hardened XML reader that turns a document into a small element tree.
//!
//! Why a tree rather than extracting straight from the event stream: ISO 20022 puts
//! what belongs to one party in places a stream sees late or elsewhere — the kind
//! (`Id/PrvtId`) follows the name, the account (`DbtrAcct`) is the party's *sibling*,
//! `Dbtr` may wrap `Pty` or `Agt`. quick-xml's streaming reader builds the tree in one
//! pass while tracking the open-element path for error messages; the input size cap
//! (checked before we get here) bounds its memory and [`MAX_DEPTH`] bounds recursion.
//!
//! Why it refuses so much: payment XML comes from outside. Any `<!DOCTYPE` or
//! `<!ENTITY` is refused before parsing (a raw byte scan, so a DTD can never be
//! half-processed), again if the reader reports one, and entity references other
//! than the five predefined ones and character references are errors — nothing is
//! ever expanded or fetched. Element names are kept as local names because senders
//! use different prefixes for the same namespace.

use crate::ids::line_of;
use crate::PaymentError;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// Deeper than any ISO 20022 message (≈ 15 levels with an envelope); caps recursion
/// in the walkers.
pub(crate) const MAX_DEPTH: usize = 64;

/// One element: local name, namespace URI if bound, attributes by local name,
/// character data (unescaped, untrimmed) and children in document order.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub name: String,
    pub namespace: Option<String>,
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Follows a chain of child names.
    pub fn descend(&self, names: &[&str]) -> Option<&Element> {
        names.iter().try_fold(self, |el, name| el.child(name))
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }

    /// Trimmed character data.
    pub fn value(&self) -> &str {
        self.text.trim()
    }

    /// Whether any descendant (not self) has this name.
    pub fn has_descendant(&self, name: &str) -> bool {
        self.children
            .iter()
            .any(|c| c.name == name || c.has_descendant(name))
    }
}

/// Case-insensitive scan for markup that declares a DTD or entities.
pub(crate) fn declares_dtd(bytes: &[u8]) -> bool {
    const NEEDLES: [&[u8]; 2] = [b"<!DOCTYPE", b"<!ENTITY"];
    NEEDLES.iter().any(|needle| {
        bytes
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// Parses a whole document into its root element.
pub(crate) fn parse(text: &str) -> Result<Element, PaymentError> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let fail = |offset: u64, stack: &[Element], message: String| {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        PaymentError::malformed(line_of(text.as_bytes(), offset), open_path(stack), message)
    };
    loop {
        let before = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event() {
            Ok(pair) => pair,
            Err(e) => return Err(fail(reader.error_position(), &stack, e.to_string())),
        };
        match event {
            Event::DocType(_) => return Err(PaymentError::Doctype),
            Event::Start(start) => {
                if root.is_some() {
                    return Err(fail(before, &stack, "a second root element".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    let msg = format!("elements nested deeper than {MAX_DEPTH} levels");
                    return Err(fail(before, &stack, msg));
                }
                let namespace = match ns {
                    ResolveResult::Bound(ns) => {
                        Some(String::from_utf8_lossy(ns.as_ref()).into_owned())
                    }
                    _ => None,
                };
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                let mut attributes = Vec::new();
                for attr in start.attributes() {
                    let attr = attr.map_err(|e| fail(before, &stack, e.to_string()))?;
                    let key = attr.key.as_ref();
                    if key == b"xmlns" || key.starts_with(b"xmlns:") {
                        continue;
                    }
                    let value = attr
                        .unescape_value()
                        .map_err(|e| fail(before, &stack, format!("attribute of <{name}>: {e}")))?;
                    let local =
                        String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
                    attributes.push((local, value.into_owned()));
                }
                stack.push(Element {
                    name,
                    namespace,
                    attributes,
                    ..Element::default()
                });
            }
            Event::End(_) => {
                // quick-xml has already checked that the end tag matches.
                let Some(done) = stack.pop() else {
                    return Err(fail(before, &stack, "unmatched end tag".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                let s = t
                    .unescape()
                    .map_err(|e| fail(before, &stack, e.to_string()))?;
                append_text(&mut stack, &s).map_err(|m| fail(before, &stack, m))?;
            }
            Event::CData(c) => {
                let s = c
                    .decode()
                    .map_err(|e| fail(before, &stack, e.to_string()))?;
                append_text(&mut stack, &s).map_err(|m| fail(before, &stack, m))?;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::Empty(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        let msg = format!("unexpected end of document inside <{}>", open.name);
        return Err(fail(text.len() as u64, &stack, msg));
    }
    root.ok_or_else(|| {
        PaymentError::malformed(
            line_of(text.as_bytes(), text.len()),
            "document",
            "no root element",
        )
    })
}

fn append_text(stack: &mut [Element], s: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(top) => {
            top.text.push_str(s);
            Ok(())
        }
        None if s.trim().is_empty() => Ok(()),
        None => Err("text outside the root element".to_string()),
    }
}

fn open_path(stack: &[Element]) -> String {
    if stack.is_empty() {
        return "document".to_string();
    }
    stack
        .iter()
        .map(|e| e.name.as_str())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn malformed(text: &str) -> (usize, String, String) {
        match parse(text) {
            Err(PaymentError::Malformed {
                line,
                location,
                message,
            }) => (line, location, message),
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn builds_tree_with_local_names_and_namespaces() {
        let doc = r#"<?xml version="1.0"?>
<!-- licence -->
<e:Envelope xmlns:e="urn:swift:xsd:envelope">
  <p:Document xmlns:p="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
    <p:Amt Ccy="EUR">1.00</p:Amt><p:Nm>A &amp; B &#x41;<![CDATA[<x>]]></p:Nm><p:Empty/>
  </p:Document>
</e:Envelope>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "Envelope");
        let document = root.child("Document").unwrap();
        assert_eq!(
            document.namespace.as_deref(),
            Some("urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08")
        );
        assert_eq!(document.child("Amt").unwrap().attribute("Ccy"), Some("EUR"));
        assert_eq!(document.child("Nm").unwrap().value(), "A & B A<x>");
        assert!(document.child("Empty").unwrap().is_leaf());
    }

    #[test]
    fn unknown_entities_are_errors_not_expansions() {
        let (line, location, message) = malformed("<a>\n<b>&foo;</b></a>");
        assert_eq!((line, location.as_str()), (2, "a/b"));
        assert!(message.contains("foo"), "{message}");
        malformed(r#"<a b="&bar;"/>"#);
    }

    #[test]
    fn dtd_is_refused_even_when_malformed_after_it() {
        assert!(declares_dtd(b"<?xml?><!doctype x>"));
        assert!(declares_dtd(b"<!ENTITY a 'b'>"));
        assert!(!declares_dtd(b"<Document/>"));
        assert_eq!(
            parse("<!DOCTYPE a><a/>").unwrap_err(),
            PaymentError::Doctype
        );
    }

    #[test]
    fn truncation_names_the_open_path() {
        let (line, location, message) = malformed("<a>\n <b>\n  <c>text");
        assert_eq!(line, 3);
        assert_eq!(location, "a/b/c");
        assert_eq!(message, "unexpected end of document inside <c>");
        let (line, _, _) = malformed("<a>\n <b\n");
        assert!(line >= 2);
    }

    #[test]
    fn structure_errors() {
        assert!(malformed("<a></b>").2.contains("b"));
        assert_eq!(malformed("<a/><b/>").2, "a second root element");
        assert_eq!(malformed("<a/>tail").2, "text outside the root element");
        assert_eq!(malformed("<!-- only a comment -->").2, "no root element");
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(malformed(&deep).2.contains("deeper"));
    }
}
