//! Index snapshots: a built [`Index`] as bytes, read back instead of rebuilt.
//!
//! Building the index analyses every list name (transliteration, legal forms, sound
//! keys, one-edit deletions): about a second for the nine bundled lists on two
//! cores, paid by every `redline screen` before. A snapshot is written once per set
//! of list versions and read in one pass: every table of the index is a vector or a
//! map of plain values, encoded with `postcard` (serde's compact binary form; no
//! schema evolution is needed, for a snapshot is only read by the build that wrote
//! it). The entities themselves are kept as JSON and decoded at their first use, so
//! a one-name screening decodes the few dozen it scores.
//!
//! Layout: `MAGIC`, the engine fingerprint ([`ENGINE`], 24 hex digits), the payload
//! length (u64 LE), the payload's CRC-32 (u32 LE), the payload. A file of another
//! engine, cut short or changed by a single bit is refused with a [`SnapshotError`],
//! never half read; what to do then (rebuild) is the caller's policy.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use redline_model::{Schema, SourceId};
use serde::{Deserialize, Serialize};

use crate::index::{Dictionary, FxMap, IndexedEntity, IndexedName};
use crate::Index;

/// Which build of the matching engine this is: a hash of the source and data of the
/// crates that decide a screening's result (see `build.rs`). A snapshot is only read
/// by the engine that wrote it.
pub const ENGINE: &str = env!("REDLINE_ENGINE_FINGERPRINT");

const MAGIC: &[u8; 8] = b"RLINDEX1";
const HEADER_LEN: usize = MAGIC.len() + 24 + 8 + 4;

/// Why bytes are not a usable snapshot.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SnapshotError {
    #[error("not an index snapshot")]
    NotASnapshot,
    #[error("written by another build of the matching engine ({found}; this one is {ENGINE})")]
    OtherEngine { found: String },
    #[error("cut short or padded: {found} bytes of payload where the header says {expected}")]
    Truncated { found: u64, expected: u64 },
    #[error("checksum mismatch: the file was changed or damaged")]
    Checksum,
    #[error("undecodable: {0}")]
    Decode(String),
}

/// Snapshot bytes kept by the index read from them (a memory map, or a buffer): its
/// entities are decoded from them at their first use.
pub type SnapshotBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Where an entity's JSON is in the snapshot bytes.
pub(crate) struct Encoded {
    bytes: SnapshotBytes,
    range: Range<usize>,
}

impl Encoded {
    pub(crate) fn json(&self) -> &[u8] {
        (*self.bytes)
            .as_ref()
            .get(self.range.clone())
            .unwrap_or_default()
    }
}

/// One entity as a snapshot holds it.
#[derive(Serialize, Deserialize)]
struct EntityPart<'a> {
    #[serde(borrow)]
    json: Cow<'a, str>,
    source: SourceId,
    schema: Schema,
    names: Range<u32>,
    countries: Cow<'a, [String]>,
    identifiers: Cow<'a, [String]>,
}

/// The index's tables, in the order they are written.
#[derive(Serialize, Deserialize)]
struct Parts<'a> {
    versions: Cow<'a, [String]>,
    #[serde(borrow)]
    entities: Vec<EntityPart<'a>>,
    names: Owned<'a, Vec<IndexedName>>,
    dict: Owned<'a, Dictionary>,
    by_identifier: Owned<'a, FxMap<String, Vec<u32>>>,
    by_id: Owned<'a, FxMap<String, u32>>,
    places: Owned<'a, crate::context::ListPlaces>,
    identities: Owned<'a, crate::identity::Identities>,
    /// The caller's own data derived from the same inputs (see [`Index::to_snapshot`]).
    attachment: Cow<'a, str>,
}

/// A table borrowed when writing and owned when reading (`Cow` without `Clone`).
enum Owned<'a, T> {
    Borrowed(&'a T),
    Owned(T),
}

impl<T> Owned<'_, T> {
    fn into_owned(self) -> Result<T, SnapshotError> {
        match self {
            Owned::Owned(t) => Ok(t),
            Owned::Borrowed(_) => Err(SnapshotError::Decode("borrowed table".into())),
        }
    }
}

impl<T: Serialize> Serialize for Owned<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Owned::Borrowed(t) => t.serialize(s),
            Owned::Owned(t) => t.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Owned<'_, T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Owned::Owned)
    }
}

impl Index {
    /// The index as snapshot bytes (see the module documentation), with
    /// `attachment`: text the caller derived from the same inputs and wants back
    /// with the index (the server keeps its ownership-derived blocks there).
    pub fn to_snapshot(&self, attachment: &str) -> Vec<u8> {
        let entities = self
            .entities
            .iter()
            .map(|e| EntityPart {
                json: match e.encoded.as_ref().map(|e| std::str::from_utf8(e.json())) {
                    Some(Ok(json)) => Cow::Borrowed(json),
                    // Serialising our own types cannot fail (no maps with non-string keys).
                    _ => Cow::Owned(serde_json::to_string(e.entity()).unwrap_or_default()),
                },
                source: e.source,
                schema: e.schema,
                names: e.names.clone(),
                countries: Cow::Borrowed(&e.countries),
                identifiers: Cow::Borrowed(&e.identifiers),
            })
            .collect();
        let parts = Parts {
            versions: Cow::Borrowed(&self.versions),
            entities,
            names: Owned::Borrowed(&self.names),
            dict: Owned::Borrowed(&self.dict),
            by_identifier: Owned::Borrowed(&self.by_identifier),
            by_id: Owned::Borrowed(&self.by_id),
            places: Owned::Borrowed(&self.places),
            identities: Owned::Borrowed(&self.identities),
            attachment: Cow::Borrowed(attachment),
        };
        // The tables hold strings, numbers, vectors and maps with string or number
        // keys, all of which postcard encodes.
        let payload = postcard::to_stdvec(&parts).unwrap_or_default();
        let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(ENGINE.as_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        out
    }

    /// Reads an index written by [`Index::to_snapshot`] of this very engine, and
    /// the attachment written with it. The bytes are copied; see
    /// [`Index::from_shared_snapshot`] to keep them instead.
    pub fn from_snapshot(bytes: &[u8]) -> Result<(Index, String), SnapshotError> {
        Index::from_shared_snapshot(Arc::new(bytes.to_vec()))
    }

    /// [`Index::from_snapshot`] over bytes the index keeps (a memory-mapped file):
    /// entities stay encoded in them until they are first used.
    pub fn from_shared_snapshot(bytes: SnapshotBytes) -> Result<(Index, String), SnapshotError> {
        let buffer: &[u8] = (*bytes).as_ref();
        let payload = checked_payload(buffer)?;
        let parts: Parts<'_> =
            postcard::from_bytes(payload).map_err(|e| SnapshotError::Decode(e.to_string()))?;
        let names = parts.names.into_owned()?;
        let base = buffer.as_ptr() as usize;
        let mut entities = Vec::with_capacity(parts.entities.len());
        for e in parts.entities {
            let Cow::Borrowed(json) = e.json else {
                return Err(SnapshotError::Decode("an entity not read in place".into()));
            };
            let start = json.as_ptr() as usize - base;
            let encoded = Encoded {
                bytes: Arc::clone(&bytes),
                range: start..start + json.len(),
            };
            entities.push(IndexedEntity::encoded(
                encoded,
                e.source,
                e.schema,
                e.names,
                e.countries.into_owned(),
                e.identifiers.into_owned(),
            ));
        }
        let in_range = entities
            .iter()
            .all(|e| e.names.start <= e.names.end && e.names.end as usize <= names.len());
        if !in_range || names.iter().any(|n| n.entity as usize >= entities.len()) {
            return Err(SnapshotError::Decode("names and entities disagree".into()));
        }
        let index = Index::from_tables(
            entities,
            names,
            parts.dict.into_owned()?,
            parts.by_identifier.into_owned()?,
            parts.by_id.into_owned()?,
            parts.places.into_owned()?,
            parts.versions.into_owned(),
            parts.identities.into_owned()?,
        );
        Ok((index, parts.attachment.into_owned()))
    }
}

/// The payload of snapshot `bytes`, once its header, length and checksum hold.
fn checked_payload(bytes: &[u8]) -> Result<&[u8], SnapshotError> {
    if bytes.len() < HEADER_LEN || &bytes[..MAGIC.len()] != MAGIC {
        return Err(SnapshotError::NotASnapshot);
    }
    let engine = &bytes[MAGIC.len()..MAGIC.len() + 24];
    if engine != ENGINE.as_bytes() {
        return Err(SnapshotError::OtherEngine {
            found: String::from_utf8_lossy(engine).into_owned(),
        });
    }
    let field = |at: usize, len: usize| &bytes[at..at + len];
    let mut length = [0u8; 8];
    length.copy_from_slice(field(MAGIC.len() + 24, 8));
    let mut crc = [0u8; 4];
    crc.copy_from_slice(field(MAGIC.len() + 32, 4));
    let expected = u64::from_le_bytes(length);
    let payload = &bytes[HEADER_LEN..];
    if payload.len() as u64 != expected {
        return Err(SnapshotError::Truncated {
            found: payload.len() as u64,
            expected,
        });
    }
    if crc32fast::hash(payload) != u32::from_le_bytes(crc) {
        return Err(SnapshotError::Checksum);
    }
    Ok(payload)
}

/// Vectors of numbers as one run of little-endian bytes: copied in one pass where
/// postcard would read a variable-length integer per element (the deletion table's
/// 1.3 million keys).
pub(crate) mod raw {
    use serde::de::{Error, Visitor};
    use serde::{Deserializer, Serializer};

    /// A number stored as its little-endian bytes.
    pub(crate) trait Le: Copy {
        const SIZE: usize;
        fn put(self, out: &mut Vec<u8>);
        fn get(bytes: &[u8]) -> Self;
    }

    macro_rules! le {
        ($($t:ty),*) => {$(
            impl Le for $t {
                const SIZE: usize = std::mem::size_of::<$t>();
                fn put(self, out: &mut Vec<u8>) {
                    out.extend_from_slice(&self.to_le_bytes());
                }
                fn get(bytes: &[u8]) -> Self {
                    let mut b = [0u8; std::mem::size_of::<$t>()];
                    b.copy_from_slice(bytes);
                    <$t>::from_le_bytes(b)
                }
            }
        )*};
    }
    le!(u32, u64);

    pub(crate) fn serialize<T: Le, S: Serializer>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
        let mut out = Vec::with_capacity(v.len() * T::SIZE);
        for &x in v {
            x.put(&mut out);
        }
        s.serialize_bytes(&out)
    }

    pub(crate) fn deserialize<'de, T: Le, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        struct Numbers<T>(std::marker::PhantomData<T>);
        impl<T: Le> Visitor<'_> for Numbers<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a run of {}-byte little-endian numbers", T::SIZE)
            }
            fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<T>, E> {
                if !bytes.len().is_multiple_of(T::SIZE) {
                    return Err(E::custom("a run of numbers cut in the middle of one"));
                }
                Ok(bytes.chunks_exact(T::SIZE).map(T::get).collect())
            }
        }
        d.deserialize_bytes(Numbers(std::marker::PhantomData))
    }
}
