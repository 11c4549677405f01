//! `registrar cimd`: Client ID Metadata Documents. `new` writes one for the URL it will be
//! hosted at, `check` says what is wrong with one, `add` keeps a hosted one's client in a
//! profile, and `serve` hosts one over HTTPS on loopback (with a CA made for the run, whose
//! PEM the authorization server under test must trust) and keeps its client in a profile.

use crate::app::App;
use crate::failure::{Failure, NETWORK};
use crate::input::metadata::MetadataArgs;
use crate::render::{ClientView, Human};
use crate::signals::Interrupts;
use clap::{Args, Subcommand};
use registrar_core::{check_document, metadata_document, ClientMetadata, FieldError, MetadataDocumentServer};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum CimdCommand {
    /// Write the document to host at URL: the metadata with client_id set to URL, checked.
    New(NewArgs),
    /// Check a document against the draft's rules (its client_id is its URL, no shared
    /// secret, redirect URIs, https links).
    Check(CheckArgs),
    /// Keep the client of a hosted document in a profile (nothing is sent: the
    /// authorization server reads the document when the client first comes).
    Add(AddArgs),
    /// Host a document over HTTPS on 127.0.0.1 until Ctrl-C (and keep its client in a
    /// profile with -p); prints its URL (the client_id) and writes the CA to trust.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct Template {
    /// Start from the metadata of an MCP client named NAME (public, loopback redirect).
    #[arg(long, value_name = "NAME")]
    pub mcp_client: Option<String>,
    #[command(flatten)]
    pub metadata: MetadataArgs,
}

impl Template {
    fn metadata(&self) -> Result<ClientMetadata, Failure> {
        if self.metadata.is_empty() && self.mcp_client.is_none() {
            return Err(Failure::usage(
                "no metadata: give --mcp-client NAME, or --file FILE and/or --set key=value",
            ));
        }
        let start = match &self.mcp_client {
            Some(name) => registrar_core::mcp_client_metadata(name),
            None => ClientMetadata::new(),
        };
        self.metadata.resolve(start)
    }
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The https URL the document will be served at (it becomes the client_id).
    #[arg(long)]
    pub url: String,
    #[command(flatten)]
    pub template: Template,
    /// Write the document to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The document (JSON).
    pub file: PathBuf,
    /// The URL it is served at; by default its own client_id.
    #[arg(long)]
    pub url: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The profile (name or id) of the authorization server.
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: String,
    /// The document as hosted (JSON); its client_id is its URL.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The profile (name or id) to keep the client in; without it the document is only
    /// served (keep its client later with `cimd add`).
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: Option<String>,
    #[command(flatten)]
    pub template: Template,
    /// The document's file name in its URL (https://localhost:PORT/NAME.json).
    #[arg(long, default_value = "client")]
    pub name: String,
    /// The port to listen on; by default a free one.
    #[arg(long)]
    pub port: Option<u16>,
    /// Where to write the PEM of the run's CA [default: cimd-ca.pem in the data directory].
    #[arg(long, value_name = "FILE")]
    pub ca_out: Option<PathBuf>,
}

pub async fn run(app: &App, command: CimdCommand) -> Result<(), Failure> {
    match command {
        CimdCommand::New(args) => new(app, args),
        CimdCommand::Check(args) => check(app, args),
        CimdCommand::Add(args) => add(app, args),
        CimdCommand::Serve(args) => serve(app, args).await,
    }
}

fn new(app: &App, args: NewArgs) -> Result<(), Failure> {
    let metadata = args.template.metadata()?;
    let document = metadata_document(&args.url, &metadata).map_err(registrar_core::Error::Validation)?;
    let text = serde_json::to_string_pretty(&document).map_err(|e| Failure::new(1, e.to_string()))?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, format!("{text}\n"))
                .map_err(|e| Failure::new(1, format!("could not write {}: {e}", path.display())))?;
            if !app.out.is_json() {
                eprintln!("Wrote {}: host it at {}.", path.display(), args.url);
            }
            Ok(())
        }
        None => crate::render::print_json(&document),
    }
}

fn read_document(path: &PathBuf) -> Result<ClientMetadata, Failure> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Failure::usage(format!("could not read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| Failure::usage(format!("{} is not a JSON object: {e}", path.display())))
}

#[derive(Debug, Serialize)]
struct CheckView {
    url: String,
    problems: Vec<FieldError>,
}

impl Human for CheckView {
    fn human(&self) -> String {
        if self.problems.is_empty() {
            return format!("The document is a valid Client ID Metadata Document for {}.", self.url);
        }
        let mut out = format!("The document is not valid for {}:\n", self.url);
        for p in &self.problems {
            out.push_str(&format!("  {p}\n"));
        }
        out
    }
}

fn check(app: &App, args: CheckArgs) -> Result<(), Failure> {
    let document = read_document(&args.file)?;
    let url = match args.url.or_else(|| document.str("client_id").map(str::to_string)) {
        Some(url) => url,
        None => {
            return Err(Failure::usage(
                "the document has no client_id: give the URL it is served at with --url",
            ))
        }
    };
    let view = CheckView {
        problems: check_document(&document, &url),
        url,
    };
    let invalid = !view.problems.is_empty();
    app.out.show(&view)?;
    if invalid {
        return Err(Failure::new(1, "the document is not valid"));
    }
    Ok(())
}

fn add(app: &App, args: AddArgs) -> Result<(), Failure> {
    let document = read_document(&args.file)?;
    let registrar = app.open()?;
    let profile = registrar.profile(&args.profile)?;
    let reg = registrar.keep_metadata_document_client(profile.id.as_str(), &document)?;
    app.out.show(&ClientView::new(&reg, &profile.name))
}

#[derive(Debug, Serialize)]
struct ServingView {
    client_id: String,
    profile: Option<String>,
    ca_file: String,
}

impl Human for ServingView {
    fn human(&self) -> String {
        let kept = match &self.profile {
            Some(p) => format!("It is the client_id of a client kept in profile {p}."),
            None => "It is the client_id; keep its client in a profile with `registrar cimd add`.".into(),
        };
        format!(
            "Serving the Client ID Metadata Document at\n\n  {}\n\n{kept} The authorization server must trust the CA in\n\n  {}\n\n(made for this run; its key is gone when this stops). Press Ctrl-C to stop.",
            self.client_id, self.ca_file
        )
    }
}

async fn serve(app: &App, args: ServeArgs) -> Result<(), Failure> {
    let metadata = args.template.metadata()?;
    let registrar = app.open()?;
    let profile = args.profile.as_deref().map(|p| registrar.profile(p)).transpose()?;
    let mut interrupts = Interrupts::listen();
    let server = MetadataDocumentServer::start(args.port, &args.name, &metadata)
        .await
        .map_err(|e| match e {
            registrar_core::Error::Validation(_) => Failure::from(e),
            other => Failure::new(NETWORK, other.to_string()),
        })?;
    let ca_file = match &args.ca_out {
        Some(path) => path.clone(),
        None => app.data_dir()?.path().join("cimd-ca.pem"),
    };
    std::fs::write(&ca_file, server.ca_pem())
        .map_err(|e| Failure::new(1, format!("could not write {}: {e}", ca_file.display())))?;
    if let Some(profile) = &profile {
        // A client kept from an earlier run with the same URL is the same client.
        if registrar.registration(profile.id.as_str(), server.url()).is_err() {
            registrar.keep_metadata_document_client(profile.id.as_str(), server.document())?;
        }
    }
    let view = ServingView {
        client_id: server.url().to_string(),
        profile: profile.map(|p| p.name),
        ca_file: ca_file.display().to_string(),
    };
    if app.out.is_json() {
        // One line, so a script can read it and go on.
        let line = serde_json::to_string(&view).map_err(|e| Failure::new(1, e.to_string()))?;
        println!("{line}");
    } else {
        app.out.show(&view)?;
    }
    interrupts.next().await;
    drop(server);
    Ok(())
}
