//! (being written)
use crate::{InputFile, ParsedList, SourceError};

pub fn parse_files(files: &[InputFile<'_>]) -> Result<ParsedList, SourceError> {
    Err(SourceError::invalid(files[0].name, "parser not written yet"))
}
