//! Client metadata as the user gives it: a JSON file (`--file`, `-` for stdin) and
//! `--set` edits on top (`key=value`, `key+=value` appends, `key-=value` removes an
//! item, `key=` removes the field), parsed by the core's `Edit`.

use crate::failure::Failure;
use clap::Args;
use registrar_core::metadata::{apply_edits, Edit};
use registrar_core::ClientMetadata;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct MetadataArgs {
    /// A JSON object of client metadata ("-" reads standard input).
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Edit one field: key=value, key+=value (append to a list), key-=value (remove from a
    /// list), key= (remove the field). JSON values are taken as JSON: key=true, key=["a"].
    #[arg(long = "set", value_name = "EDIT")]
    pub set: Vec<String>,
}

impl MetadataArgs {
    pub fn is_empty(&self) -> bool {
        self.file.is_none() && self.set.is_empty()
    }

    /// The file's metadata (or `base` when there is no file), with the edits applied.
    pub fn resolve(&self, base: ClientMetadata) -> Result<ClientMetadata, Failure> {
        let mut meta = match &self.file {
            Some(path) => read_file(path)?,
            None => base,
        };
        let edits = self
            .set
            .iter()
            .map(|text| Edit::parse(text).map_err(|e| Failure::usage(format!("--set {text}: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        apply_edits(&mut meta, &edits).map_err(|e| Failure::usage(format!("--set: {e}")))?;
        Ok(meta)
    }
}

pub fn read_file(path: &Path) -> Result<ClientMetadata, Failure> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("could not read metadata from standard input: {e}")))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?
    };
    ClientMetadata::from_json(&text).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}
