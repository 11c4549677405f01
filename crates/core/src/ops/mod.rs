//! Every operation Registrar performs, each in its own file, as a method on `Registrar`.
//! The CLI and the desktop shell call these and nothing below them.
//!
//! The write discipline, for every call that reaches a provider: journal the intent,
//! send, store any new credential in the keychain first, then store the state and close
//! the journal entry in one transaction. A crash anywhere leaves either a finished record
//! or an unresolved journal entry that says what to recover.

mod auth;
mod bring;
mod bulk_clients;
mod bulk_import;
mod bulk_refresh;
mod call;
mod client_credentials;
mod client_locks;
mod context;
mod credentials;
mod delete;
mod discover;
mod drift_actions;
mod duplicates;
mod export;
mod import;
mod keychain_status;
mod managed_call;
mod management_url;
mod orphans;
mod outcome;
mod probe;
mod profiles;
mod queries;
mod reach;
mod read;
mod recovery;
mod register;
mod resource;
mod tryout;
mod update;

// The oauth module's flows record their calls as `try` calls of a client.
pub use bring::{parse_kcreg_config, parse_oidc_agent_account, BroughtIn, KcregRealm, OidcAgentAccount};
pub use bulk_clients::{DeleteItem, DeleteReport};
pub use bulk_import::{parse_import_file, ImportResult};
pub use bulk_refresh::{BulkError, BulkItem, BulkProgress, BulkReport, Cancel};
pub(crate) use call::{CallInfo, CallKind};
pub use client_credentials::TokenGrant;
pub use context::Registrar;
pub use discover::{Discovery, DocumentFetch, DocumentKind, EndpointSource};
pub use drift_actions::UpdatePreview;
pub use duplicates::{CleanupAction, CleanupResult, DuplicateGroup, DuplicateMember};
pub use export::ExportFormat;
pub use import::ImportRequest;
pub use keychain_status::KeychainStatus;
pub use orphans::{parse_client_list, LocalOrphan, OrphanReport};
pub use outcome::{DeleteOutcome, RegisterOutcome, SecretInAnswer, SyncOutcome, UnstoredCredentials};
pub use probe::{ProbeFindings, ProbeOptions, ProbeOutcome, ProbeReport, ProbeStep, RegistrationAuthFinding};
pub use reach::{ProfileReach, Reach};
pub use recovery::RecoveryItem;
pub use resource::{
    bearer_challenge, check_document, check_document_url, mcp_client_metadata, metadata_document, read_mcp_initialize,
    resource_match, well_known_candidates, AuthorizationServerFinding, BearerChallenge, ChainStep, Discovered,
    McpServerInfo, MetadataDocumentServer, ResourceAnswer, ResourceChain, ResourceMatch, ResourceMetadata, StepKind,
    StepState, MCP_REDIRECT_URI,
};
pub use tryout::{
    AuthorizationOptions, PendingAuthorization, PendingDevice, PresentedCertificate, RedirectMode, TokenChoice,
    TryGrant, TryOutcome, TryReport, TrySession, TryTarget,
};
