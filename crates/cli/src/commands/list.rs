//! `registrar list`: the clients recorded locally, searched and paged by the core's index
//! (fast with 100,000 of them). No provider is asked; `refresh` does that.

use super::profile_names;
use crate::app::App;
use crate::failure::Failure;
use crate::input::duration::parse_duration;
use crate::render::custody::CustodyRow;
use crate::render::{ClientPage, ClientRow};

/// How far ahead `list` looks for expiring keys, certificates and statements without
/// `--expiring`.
const CUSTODY_WINDOW_SECS: i64 = 30 * 86_400;
use clap::{Args, ValueEnum};
use registrar_core::RegistrationStatus;
use registrar_core::{Query, Sort, SortKey};

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this profile's clients (name or id).
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: Option<String>,
    /// Text in the client id, name, a redirect URI or a contact.
    #[arg(long, short = 's', value_name = "TEXT")]
    pub search: Option<String>,
    /// Only clients with this status.
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Only clients whose secret expires within this time (30d, 12h, 2w), soonest first;
    /// certificates, key retirements and software statements expiring within it are listed
    /// below them [without it: those within 30d].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub expiring: Option<i64>,
    /// Sort by this column instead of the list's order (by name; soonest expiry first with
    /// --expiring). Ties keep the order the clients were recorded in.
    #[arg(long, value_enum, value_name = "COLUMN")]
    pub sort: Option<SortArg>,
    /// With --sort: largest first (Z to A, latest first).
    #[arg(long, requires = "sort")]
    pub desc: bool,
    /// How many clients to show (at most 1000).
    #[arg(long, short = 'n', default_value_t = 100)]
    pub limit: u32,
    /// How many matching clients to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Name,
    ClientId,
    Status,
    /// When the client secret expires.
    Expires,
    /// When the provider's state was last stored.
    Synced,
}

impl From<SortArg> for SortKey {
    fn from(arg: SortArg) -> Self {
        match arg {
            SortArg::Name => SortKey::Name,
            SortArg::ClientId => SortKey::ClientId,
            SortArg::Status => SortKey::Status,
            SortArg::Expires => SortKey::SecretExpiry,
            SortArg::Synced => SortKey::LastSynced,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Active,
    Deleted,
    PendingRecovery,
}

pub fn run(app: &App, args: ListArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile_id = match &args.profile {
        Some(name) => Some(registrar.profile(name)?.id),
        None => None,
    };
    let query = Query {
        profile_id,
        text: args.search,
        status: args.status.map(|s| match s {
            StatusArg::Active => RegistrationStatus::Active,
            StatusArg::Deleted => RegistrationStatus::Deleted,
            StatusArg::PendingRecovery => RegistrationStatus::PendingRecovery,
        }),
        expiring_within_secs: args.expiring,
        // A deleted client's secret went with it: it expires no more.
        exclude_deleted: args.expiring.is_some(),
        offset: args.offset,
        limit: args.limit.max(1),
        sort: args.sort.map(|key| Sort {
            key: key.into(),
            descending: args.desc,
        }),
    };
    let page = registrar.search(&query)?;
    let names = profile_names(&registrar)?;
    // Keys, certificates and software statements run out too: within the window asked
    // for, or else within the default one.
    let window = args.expiring.unwrap_or(CUSTODY_WINDOW_SECS);
    let custody = registrar
        .expiring_custody(query.profile_id.as_deref(), window)?
        .into_iter()
        .map(|e| {
            let name = names
                .get(&e.profile_id)
                .cloned()
                .unwrap_or_else(|| e.profile_id.to_string());
            CustodyRow::new(e, &name)
        })
        .collect();
    let items = page
        .items
        .iter()
        .map(|row| {
            let name = names
                .get(&row.profile_id)
                .map(String::as_str)
                .unwrap_or(&row.profile_id);
            ClientRow::new(row, name)
        })
        .collect();
    app.out.show(&ClientPage {
        total: page.total,
        total_capped: page.total_capped,
        offset: page.offset,
        items,
        custody_window_secs: window,
        custody,
    })
}
