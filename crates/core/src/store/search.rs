//! Finding registrations: by text (client id, name, redirect URI, contact) through the
//! trigram FTS index, by profile, status and secret expiry through plain indexes, one
//! page at a time. Nothing here scans rows in Rust.
//!
//! A list is shown in name order, and sorting every match of a text that many clients
//! match, then counting them in a second pass, was most of a search's time (figures in
//! docs/benchmarks.md, "Search along the list's index"). So a page is found along the
//! list's index instead, and a text search counts up to [`COUNT_CAP`]
//! ([`Page::total_capped`] past it):
//!
//! - Without text, the page walks the list's index (`registrations_list`) and the count is
//!   exact, read from an index.
//! - Text shorter than a trigram is a `LIKE` over the client id and name, both in the
//!   list's index: the walk reads no row it does not show, and counting stops at the cap.
//! - Longer text asks the trigram index for the ids of its matches, twice the cap of them
//!   first: reading ids is most of a broad text's cost (callgrind, in docs/benchmarks.md).
//!   When there are more, the list's first rows are checked one by one, stopping at the first without the text: if
//!   the first cap + 1 all hold it, the count is past the cap and the page comes from the
//!   head of the list (below) without reading another id. Otherwise at most
//!   [`ENUMERATED_AT_MOST`] + 1 ids are read. Up to [`COUNT_CAP`] ids are looked up and sorted.
//!   Up to [`ENUMERATED_AT_MOST`], the list's index is walked in order keeping the rows
//!   among those ids (an `IN` that SQLite checks with a Bloom filter): matches that sort
//!   late, such as every client of one team, cost a walk of the index, not of the rows.
//!   With more, the text is in a good share of all rows: the page is taken from the list's
//!   first [`WINDOW`] rows, checking each one's indexed text (`registrar_contains`, with
//!   the index's case folding); only if those hold too few matches are all the ids
//!   enumerated and walked as above.
//!
//! A list may be sorted by another column ([`Sort`]: client id, status, secret expiry, last
//! sync, either way). Every path above reads "list order" from [`Filter`]'s `ORDER BY`
//! only, so a sort changes no path: each order within a profile has an index walked the
//! same way (migration 0009; backwards for a descending order), and the window is the head
//! of that order. Across all profiles only the name order has one; another sort there
//! sorts every match (the desktop lists one profile at a time).

use super::fold::fold;
use super::registrations::{CredentialState, RegistrationStatus};
use super::{now, Store};
use crate::error::Result;
use crate::ProfileId;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::{ToSqlOutput, Value as Sql, ValueRef};
use rusqlite::vtab::array::Array;
use rusqlite::{params_from_iter, Connection, ToSql};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// A text search counts its matches up to this many; past it, [`Page::total_capped`] is
/// set and [`Page::total`] is a lower bound: this number, or the rows up to the end of the
/// page if that is more. A list without text is always counted.
pub const COUNT_CAP: u64 = 1_000;
/// The most match ids taken from the trigram index before a page is looked for another
/// way: reading more costs more than walking the list's head (docs/benchmarks.md).
pub const ENUMERATED_AT_MOST: u64 = 20_000;
/// How many rows at the head of the list are checked one by one for a text that more than
/// [`ENUMERATED_AT_MOST`] rows match.
pub const WINDOW: u64 = 1_000;

/// The bounds above, apart so tests can take every path with a few rows.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    cap: u64,
    enumerated: u64,
    window: u64,
}

const BOUNDS: Bounds = Bounds {
    cap: COUNT_CAP,
    enumerated: ENUMERATED_AT_MOST,
    window: WINDOW,
};

/// Which registrations a list shows, and which page of them; every filter left `None` keeps all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Query {
    /// Only this profile's.
    pub profile_id: Option<ProfileId>,
    /// Substring of the client id, name, a redirect URI or a contact.
    pub text: Option<String>,
    /// Only those with this status.
    pub status: Option<RegistrationStatus>,
    /// Leave out deleted clients (kept only as history), whatever `status` says otherwise.
    pub exclude_deleted: bool,
    /// Only clients whose secret expires within this many seconds from now (or has).
    pub expiring_within_secs: Option<i64>,
    /// The list's order; `None` keeps the default (by name, or soonest expiry first when
    /// `expiring_within_secs` is set).
    #[cfg_attr(feature = "ts", specta(optional))]
    pub sort: Option<Sort>,
    /// Rows to skip, in list order.
    pub offset: u32,
    /// At most 1,000; 50 when 0.
    pub limit: u32,
}

/// What a list can be sorted by: the list's columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum SortKey {
    /// The name, case folded as the list's index folds it; no name sorts first.
    #[default]
    Name,
    /// The client id, byte by byte.
    ClientId,
    /// The status's name (active, deleted, pending_recovery), then the name.
    Status,
    /// When the secret expires, soonest first; a secret that never expires (or not known
    /// to) sorts after every one that does.
    SecretExpiry,
    /// When the provider's state was last stored; never synced sorts first (the oldest).
    LastSynced,
}

/// A list's order: a key, either way. Ties fall to the row's id, the same way, so every
/// order is total and pages never repeat or skip a row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Sort {
    /// The column sorted by.
    pub key: SortKey,
    /// Largest first (Z to A, latest first).
    pub descending: bool,
}

impl Sort {
    /// The `ORDER BY` over `registrations r`, and the columns it reads with the id (what the
    /// head of a list keeps to sort it again). Each has an index walked in this order,
    /// forwards or backwards (migrations 0005 and 0009), so a page reads only its rows.
    fn sql(self) -> (String, &'static str) {
        let (terms, columns): (&[&str], &'static str) = match self.key {
            SortKey::Name => (&["r.client_name COLLATE NOCASE"], "r.id, r.client_name"),
            SortKey::ClientId => (&["r.client_id"], "r.id, r.client_id"),
            SortKey::Status => (
                &["r.status", "r.client_name COLLATE NOCASE"],
                "r.id, r.status, r.client_name",
            ),
            SortKey::SecretExpiry => (&[EXPIRY_ORDER], "r.id, r.client_secret_expires_at"),
            SortKey::LastSynced => (&["r.last_synced_at"], "r.id, r.last_synced_at"),
        };
        let way = if self.descending { " DESC" } else { "" };
        let order = terms
            .iter()
            .chain(std::iter::once(&"r.id"))
            .map(|t| format!("{t}{way}"))
            .collect::<Vec<_>>()
            .join(", ");
        (order, columns)
    }
}

/// The secret expiry as sorted: 0 (never) and unknown after every real time. The same
/// expression as in the index of migration 0009, which SQLite matches word for word.
const EXPIRY_ORDER: &str = "coalesce(nullif(r.client_secret_expires_at, 0), 9223372036854775807)";

/// One row of a client list: what a list shows, without the metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Summary {
    /// The profile.
    pub profile_id: ProfileId,
    /// The client's id.
    pub client_id: String,
    /// Its name, when it has one.
    pub client_name: Option<String>,
    /// Active, deleted, or awaiting recovery.
    pub status: RegistrationStatus,
    /// Whether its credentials are in the keychain.
    pub credentials: CredentialState,
    /// When its secret expires, in seconds since the Unix epoch; 0 means never.
    pub client_secret_expires_at: Option<i64>,
    /// When the provider's state was last stored, in seconds since the Unix epoch.
    pub last_synced_at: Option<i64>,
    /// The last read found changes made on the provider; an update clears it.
    pub has_drift: bool,
}

/// One page of a client list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Page {
    /// The rows, in list order; at most the query's limit.
    pub items: Vec<Summary>,
    /// How many rows match in all; when `total_capped` is set, at least this many.
    pub total: u64,
    /// Set when a text search stopped counting (at 1,000 matches, or at the rows this page
    /// reaches if more): at least `total` rows match, maybe more, and a page past `total`
    /// may hold rows. Absent (false) when `total` is exact.
    #[serde(default, skip_serializing_if = "is_false")]
    pub total_capped: bool,
    /// The offset the page starts at, as asked.
    pub offset: u32,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// What a list shows of each row, read from `registrations r`.
const SUMMARY_COLUMNS: &str = "r.profile_id, r.client_id, r.client_name, r.status, r.credentials,
     r.client_secret_expires_at, r.last_synced_at, r.has_drift";

/// A statement's argument: a value, or a list of row ids (for `rarray(?)`).
#[derive(Debug, Clone)]
enum Arg {
    Value(Sql),
    Ids(Array),
}

impl ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match self {
            Arg::Value(value) => value.to_sql(),
            Arg::Ids(ids) => ids.to_sql(),
        }
    }
}

fn text_arg(text: &str) -> Arg {
    Arg::Value(Sql::Text(text.to_owned()))
}

fn ids_arg(ids: &[i64]) -> Arg {
    Arg::Ids(Rc::new(ids.iter().copied().map(Sql::Integer).collect()))
}

/// The filters without text, as SQL over `registrations r`, and the list's order.
struct Filter {
    clauses: Vec<String>,
    args: Vec<Arg>,
    order: String,
    /// The columns `order` reads, and the id.
    order_columns: &'static str,
}

impl Filter {
    fn new(q: &Query) -> Self {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<Arg> = Vec::new();
        if let Some(profile) = &q.profile_id {
            clauses.push("r.profile_id = ?".into());
            args.push(text_arg(profile));
        }
        if let Some(status) = q.status {
            clauses.push("r.status = ?".into());
            args.push(text_arg(status.as_str()));
        }
        if q.exclude_deleted {
            clauses.push("r.status <> ?".into());
            args.push(text_arg(RegistrationStatus::Deleted.as_str()));
        }
        if let Some(within) = q.expiring_within_secs {
            clauses.push("r.client_secret_expires_at > 0 AND r.client_secret_expires_at <= ?".into());
            args.push(Arg::Value(Sql::Integer(now() + within)));
        }
        let (order, order_columns) = match q.sort {
            Some(sort) => sort.sql(),
            None if q.expiring_within_secs.is_some() => (
                "r.client_secret_expires_at, r.id".to_owned(),
                "r.id, r.client_secret_expires_at",
            ),
            None => Sort::default().sql(),
        };
        Filter {
            clauses,
            args,
            order,
            order_columns,
        }
    }

    /// These filters and `extra`, as a `WHERE` clause.
    fn sql_where(&self, extra: &[&str]) -> String {
        let all: Vec<&str> = self
            .clauses
            .iter()
            .map(String::as_str)
            .chain(extra.iter().copied())
            .collect();
        if all.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", all.join(" AND "))
        }
    }

    /// These filters' arguments followed by `extra`.
    fn args_with(&self, extra: impl IntoIterator<Item = Arg>) -> Vec<Arg> {
        self.args.iter().cloned().chain(extra).collect()
    }
}

/// How a text is looked for.
enum Text {
    /// Three characters or more: the trigram index, with `folded` for row-by-row checks.
    Indexed { phrase: String, folded: String },
    /// Below the trigram size: a `LIKE` pattern over the client id and name.
    Short { pattern: String },
}

impl Text {
    fn new(text: &str) -> Self {
        if text.chars().count() >= 3 {
            Text::Indexed {
                phrase: format!("\"{}\"", text.replace('"', "\"\"")),
                folded: folded(text),
            }
        } else {
            Text::Short {
                pattern: format!(
                    "%{}%",
                    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
                ),
            }
        }
    }
}

const SHORT_TEXT: &str = "(r.client_id LIKE ? ESCAPE '\\' OR r.client_name LIKE ? ESCAPE '\\')";
/// Among the ids given, checked on each row as an index is walked (the `+` keeps SQLite
/// from looking them up instead).
const WALKED: &str = "+r.id IN rarray(?)";

/// The SQL of each step, given the filters; kept apart so tests can check their plans.
mod sql {
    use super::{Filter, SUMMARY_COLUMNS};

    /// Every match without text.
    pub(super) fn count(filter: &Filter) -> String {
        format!("SELECT count(*) FROM registrations r {}", filter.sql_where(&[]))
    }

    /// A page in list order, along the list's index (`extra` filters the walk).
    pub(super) fn walk(filter: &Filter, extra: &[&str]) -> String {
        format!(
            "SELECT {SUMMARY_COLUMNS} FROM registrations r {} ORDER BY {} LIMIT ? OFFSET ?",
            filter.sql_where(extra),
            filter.order
        )
    }

    /// The ids of the first `limit` matches in list order (`extra` filters).
    pub(super) fn ids(filter: &Filter, extra: &[&str], limit: Option<u64>) -> String {
        let limit = limit.map(|n| format!("LIMIT {n}")).unwrap_or_default();
        format!(
            "SELECT r.id FROM registrations r {} ORDER BY {} {limit}",
            filter.sql_where(extra),
            filter.order
        )
    }

    /// The ids given (`rarray(?)`, first) that pass the filters, each looked up, in list
    /// order.
    pub(super) fn looked_up(filter: &Filter) -> String {
        format!(
            "SELECT r.id FROM rarray(?) given CROSS JOIN registrations r ON r.id = given.value {} ORDER BY {}",
            filter.sql_where(&[]),
            filter.order
        )
    }

    /// How many rows match, counted up to `cap` (`extra` filters).
    pub(super) fn count_to(filter: &Filter, extra: &[&str], cap: u64) -> String {
        format!(
            "SELECT count(*) FROM (SELECT 1 FROM registrations r {} LIMIT {cap})",
            filter.sql_where(extra)
        )
    }

    /// The ids of the trigram index's matches after a rowid, in rowid order (the index's
    /// own, so nothing is sorted and the rowid bound is a seek).
    pub(super) fn indexed_after(limit: Option<u64>) -> String {
        let limit = limit.map(|n| format!("LIMIT {n}")).unwrap_or_default();
        format!(
            "SELECT rowid FROM registrations_fts WHERE registrations_fts MATCH ? AND rowid > ? ORDER BY rowid {limit}"
        )
    }

    /// The ids of a page of the matches among the list's first `window` rows, each row's
    /// indexed text checked. Materialized, so the window is cut before anything is checked.
    pub(super) fn in_window(filter: &Filter, window: u64) -> String {
        format!(
            "WITH head AS MATERIALIZED (
                 SELECT {} FROM registrations r {} ORDER BY {} LIMIT {window}
             )
             SELECT r.id FROM head r CROSS JOIN registrations_fts f ON f.rowid = r.id
             WHERE registrar_contains(?, f.client_id, f.client_name, f.redirect_uris, f.contacts)
             ORDER BY {} LIMIT ? OFFSET ?",
            filter.order_columns,
            filter.sql_where(&[]),
            filter.order,
            filter.order
        )
    }

    /// How many rows the list's first `rows` are (fewer when the list is shorter), and
    /// whether any of them lacks the text; the check stops at the first that does.
    pub(super) fn head_all_hold(filter: &Filter, rows: u64) -> String {
        format!(
            "WITH head AS MATERIALIZED (
                 SELECT {} FROM registrations r {} ORDER BY {} LIMIT {rows}
             )
             SELECT (SELECT count(*) FROM head), EXISTS (
                 SELECT 1 FROM head r CROSS JOIN registrations_fts f ON f.rowid = r.id
                 WHERE NOT registrar_contains(?, f.client_id, f.client_name, f.redirect_uris, f.contacts)
             )",
            filter.order_columns,
            filter.sql_where(&[]),
            filter.order
        )
    }

    /// The rows with the ids given, in list order.
    pub(super) fn by_ids(filter: &Filter) -> String {
        format!(
            "SELECT {SUMMARY_COLUMNS} FROM registrations r WHERE r.id IN rarray(?) ORDER BY {}",
            filter.order
        )
    }
}

impl Store {
    pub(crate) fn search(&self, q: &Query) -> Result<Page> {
        self.search_within(q, BOUNDS)
    }

    /// Every row `q` matches, in its order, whatever its offset and limit: what "select all"
    /// means in a list. One walk of the order's index, nothing counted; a text's matches are
    /// read from the trigram index whole (every one is wanted, so no cap applies).
    pub(crate) fn search_every(&self, q: &Query) -> Result<Vec<Summary>> {
        let filter = Filter::new(q);
        let all = Wanted {
            offset: 0,
            limit: u32::MAX,
        };
        let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        self.with(|c| match text.map(Text::new) {
            None => summaries(c, &sql::walk(&filter, &[]), &filter.args_with(all.args())),
            Some(Text::Short { pattern }) => {
                let args = [text_arg(&pattern), text_arg(&pattern)].into_iter().chain(all.args());
                summaries(c, &sql::walk(&filter, &[SHORT_TEXT]), &filter.args_with(args))
            }
            Some(Text::Indexed { phrase, .. }) => {
                let every = read_on(c, &phrase, Vec::new(), None)?;
                let args = [ids_arg(&every)].into_iter().chain(all.args());
                summaries(c, &sql::walk(&filter, &[WALKED]), &filter.args_with(args))
            }
        })
    }

    fn search_within(&self, q: &Query, bounds: Bounds) -> Result<Page> {
        let filter = Filter::new(q);
        let page = Wanted {
            offset: q.offset,
            limit: match q.limit {
                0 => 50,
                n => n.min(1000),
            },
        };
        let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        self.with(|c| {
            let found = match text.map(Text::new) {
                None => {
                    let total: i64 =
                        c.query_row(&sql::count(&filter), params_from_iter(filter.args.iter()), |r| r.get(0))?;
                    let items = summaries(c, &sql::walk(&filter, &[]), &filter.args_with(page.args()))?;
                    Found::exact(items, total as u64)
                }
                Some(Text::Short { pattern }) => short(c, &filter, &pattern, page, bounds)?,
                Some(Text::Indexed { phrase, folded }) => indexed(c, &filter, &phrase, &folded, page, bounds)?,
            };
            // A lower bound counts the rows shown too, so it grows as later pages are read.
            let shown = u64::from(q.offset) + found.items.len() as u64;
            Ok(Page {
                total: if found.capped {
                    found.total.max(shown)
                } else {
                    found.total
                },
                items: found.items,
                total_capped: found.capped,
                offset: q.offset,
            })
        })
    }
}

/// A page's rows and the count that goes with them.
struct Found {
    items: Vec<Summary>,
    total: u64,
    capped: bool,
}

impl Found {
    fn exact(items: Vec<Summary>, total: u64) -> Self {
        Found {
            items,
            total,
            capped: false,
        }
    }

    /// With `counted` matches found when looking for at most `cap + 1`.
    fn counted(items: Vec<Summary>, counted: u64, cap: u64) -> Self {
        Found {
            items,
            total: counted.min(cap),
            capped: counted > cap,
        }
    }
}

/// The page asked for.
#[derive(Debug, Clone, Copy)]
struct Wanted {
    offset: u32,
    limit: u32,
}

impl Wanted {
    fn args(self) -> [Arg; 2] {
        [
            Arg::Value(Sql::Integer(i64::from(self.limit))),
            Arg::Value(Sql::Integer(i64::from(self.offset))),
        ]
    }

    fn end(self) -> u64 {
        u64::from(self.offset) + u64::from(self.limit)
    }

    /// Whether `head`, the first matches in list order looked for up to `cap + 1`, holds
    /// this page: it reaches past the page, or it is every match.
    fn within(self, head: &[i64], cap: u64) -> bool {
        head.len() as u64 <= cap || self.end() <= head.len() as u64
    }

    /// This page of ids in list order.
    fn of(self, ids: &[i64]) -> &[i64] {
        let start = (self.offset as usize).min(ids.len());
        let end = start.saturating_add(self.limit as usize).min(ids.len());
        &ids[start..end]
    }
}

/// Text below the trigram size: the first `cap + 1` matches along the list's index give
/// the count and, unless the page is past them, the page.
fn short(c: &Connection, filter: &Filter, pattern: &str, page: Wanted, bounds: Bounds) -> rusqlite::Result<Found> {
    let like = || [text_arg(pattern), text_arg(pattern)];
    let head = ids(
        c,
        &sql::ids(filter, &[SHORT_TEXT], Some(bounds.cap + 1)),
        &filter.args_with(like()),
    )?;
    let items = if page.within(&head, bounds.cap) {
        by_ids(c, filter, page.of(&head))?
    } else {
        let args = filter.args_with(like().into_iter().chain(page.args()));
        summaries(c, &sql::walk(filter, &[SHORT_TEXT]), &args)?
    };
    Ok(Found::counted(items, head.len() as u64, bounds.cap))
}

/// Text the trigram index finds (see the module's documentation for the three ways).
fn indexed(
    c: &Connection,
    filter: &Filter,
    phrase: &str,
    folded: &str,
    page: Wanted,
    bounds: Bounds,
) -> rusqlite::Result<Found> {
    // Ids come from the index a few at first: reading them is most of a broad text's cost.
    let probe = (2 * (bounds.cap + 1)).min(bounds.enumerated);
    let first = read_on(c, phrase, Vec::new(), Some(probe + 1))?;
    let broad = first.len() as u64 > probe;
    if broad && page.end() <= bounds.window && head_holds(c, filter, folded, bounds.cap)? {
        return past_the_cap(c, filter, (phrase, folded), page, bounds, first, bounds.cap);
    }
    let matches = if broad && probe < bounds.enumerated {
        read_on(c, phrase, first, Some(bounds.enumerated + 1))?
    } else {
        first
    };
    let every_one = matches.len() as u64 <= bounds.enumerated;
    if every_one && matches.len() as u64 <= bounds.cap {
        let args: Vec<Arg> = std::iter::once(ids_arg(&matches))
            .chain(filter.args.iter().cloned())
            .collect();
        let all = ids(c, &sql::looked_up(filter), &args)?;
        return Ok(Found::exact(by_ids(c, filter, page.of(&all))?, all.len() as u64));
    }
    if every_one {
        return among(c, filter, &matches, page, bounds.cap);
    }
    // Counted among the ids read (past them, a lower bound); first among as many as the
    // cap twice over, which is enough unless most matches are another profile's.
    let count_among = |ids: &[i64]| -> rusqlite::Result<u64> {
        let args = filter.args_with([ids_arg(ids)]);
        let sql = sql::count_to(filter, &[WALKED], bounds.cap + 1);
        c.query_row(&sql, params_from_iter(args.iter()), |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
    };
    let first = &matches[..matches.len().min(2 * (bounds.cap as usize + 1))];
    let mut counted = count_among(first)?;
    if counted <= bounds.cap && first.len() < matches.len() {
        counted = count_among(&matches)?;
    }
    past_the_cap(
        c,
        filter,
        (phrase, folded),
        page,
        bounds,
        matches,
        counted.min(bounds.cap),
    )
}

/// A page of a text that more than the cap match (`total`, the lower bound to give): from
/// the list's first `window` rows, each checked, when they hold it; otherwise every match,
/// read on from `read` (the first of them), walked in list order.
fn past_the_cap(
    c: &Connection,
    filter: &Filter,
    (phrase, folded): (&str, &str),
    page: Wanted,
    bounds: Bounds,
    read: Vec<i64>,
    total: u64,
) -> rusqlite::Result<Found> {
    let mut found = Found {
        items: Vec::new(),
        total,
        capped: true,
    };
    if page.end() <= bounds.window {
        let args = filter.args_with([text_arg(folded)].into_iter().chain(page.args()));
        let head = ids(c, &sql::in_window(filter, bounds.window), &args)?;
        let full = head.len() as u64 == u64::from(page.limit);
        let listed: i64 = c.query_row(
            &sql::count_to(filter, &[], bounds.window + 1),
            params_from_iter(filter.args.iter()),
            |r| r.get(0),
        )?;
        if full || listed as u64 <= bounds.window {
            found.items = by_ids(c, filter, &head)?;
            return Ok(found);
        }
    }
    // The head of the list holds too few: every match, walked in list order.
    let every = read_on(c, phrase, read, None)?;
    let args = filter.args_with([ids_arg(&every)].into_iter().chain(page.args()));
    found.items = summaries(c, &sql::walk(filter, &[WALKED]), &args)?;
    Ok(found)
}

/// The index's matches for `phrase` in rowid order: `have` (read before, the first of them)
/// and those after it, up to `limit` in all. The index seeks past what was read, so reading
/// on costs only the new ids.
fn read_on(c: &Connection, phrase: &str, mut have: Vec<i64>, limit: Option<u64>) -> rusqlite::Result<Vec<i64>> {
    let wanted = limit.map(|n| n.saturating_sub(have.len() as u64));
    if wanted == Some(0) {
        return Ok(have);
    }
    let after = have.last().copied().unwrap_or(i64::MIN);
    have.extend(ids(
        c,
        &sql::indexed_after(wanted),
        &[text_arg(phrase), Arg::Value(Sql::Integer(after))],
    )?);
    Ok(have)
}

/// Whether every one of the list's first `cap + 1` rows holds the text (a domain, a prefix
/// every client shares): then more than `cap` match, settled without reading another id
/// from the index. The check stops at the first row without the text, so a text that is
/// not everywhere costs a row or two here.
fn head_holds(c: &Connection, filter: &Filter, folded: &str, cap: u64) -> rusqlite::Result<bool> {
    let (rows, missing): (i64, bool) = c.query_row(
        &sql::head_all_hold(filter, cap + 1),
        params_from_iter(filter.args_with([text_arg(folded)]).iter()),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(!missing && rows as u64 > cap)
}

/// A page among the matches given (ids), walking the list's index in order: the first
/// `cap + 1` give the count and, unless the page is past them, the page.
fn among(c: &Connection, filter: &Filter, matches: &[i64], page: Wanted, cap: u64) -> rusqlite::Result<Found> {
    let head = ids(
        c,
        &sql::ids(filter, &[WALKED], Some(cap + 1)),
        &filter.args_with([ids_arg(matches)]),
    )?;
    let items = if page.within(&head, cap) {
        by_ids(c, filter, page.of(&head))?
    } else {
        let args = filter.args_with([ids_arg(matches)].into_iter().chain(page.args()));
        summaries(c, &sql::walk(filter, &[WALKED]), &args)?
    };
    Ok(Found::counted(items, head.len() as u64, cap))
}

fn ids(c: &Connection, sql: &str, args: &[Arg]) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = c.prepare_cached(sql)?;
    let found = stmt
        .query_map(params_from_iter(args.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(found)
}

fn by_ids(c: &Connection, filter: &Filter, ids: &[i64]) -> rusqlite::Result<Vec<Summary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    summaries(c, &sql::by_ids(filter), &[ids_arg(ids)])
}

fn summaries(c: &Connection, sql: &str, args: &[Arg]) -> rusqlite::Result<Vec<Summary>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), summary)?;
    rows.collect()
}

fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<Summary> {
    let status: String = r.get(3)?;
    let credentials: String = r.get(4)?;
    Ok(Summary {
        profile_id: r.get(0)?,
        client_id: r.get(1)?,
        client_name: r.get(2)?,
        status: RegistrationStatus::parse(&status),
        credentials: CredentialState::parse(&credentials),
        client_secret_expires_at: r.get(5)?,
        last_synced_at: r.get(6)?,
        has_drift: r.get(7)?,
    })
}

/// Registers what searches use on a connection: `rarray(?)` (a list of ids as a table),
/// and `registrar_contains(needle, text...)`, whether any `text` contains `needle`
/// (already folded) once folded as the trigram index folds it: the index's substring
/// match, checked on one row.
pub(super) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    rusqlite::vtab::array::load_module(conn)?;
    conn.create_scalar_function(
        "registrar_contains",
        -1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            let needle = match ctx.get_raw(0) {
                ValueRef::Text(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
                _ => return Ok(false),
            };
            Ok((1..ctx.len()).any(|i| match ctx.get_raw(i) {
                ValueRef::Text(bytes) => std::str::from_utf8(bytes).is_ok_and(|text| contains_folded(text, needle)),
                _ => false,
            }))
        },
    )
}

/// `text` as the trigram index reads it: folded, without NUL characters (the tokenizer
/// skips them).
fn folded(text: &str) -> String {
    text.chars().map(fold).filter(|&c| c != '\0').collect()
}

/// Whether `text`, as the index reads it, contains `needle` (already [`folded`]).
fn contains_folded(text: &str, needle: &str) -> bool {
    if text.bytes().all(|b| b.is_ascii() && b != 0) {
        let (text, needle) = (text.as_bytes(), needle.as_bytes());
        return needle.is_empty() || text.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle));
    }
    folded(text).contains(needle)
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
