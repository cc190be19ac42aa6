//! (being written)
use crate::{InputFile, ParsedList, SourceError};

pub fn parse(file: InputFile<'_>) -> Result<ParsedList, SourceError> {
    Err(SourceError::invalid(file.name, "parser not written yet"))
}
