//! `registrar cert ...`: client certificates (RFC 8705) for keys in custody: self-signed
//! (`self_signed_tls_client_auth`), or a CSR for a CA and its answer imported
//! (`tls_client_auth`), and which one the profile presents for mutual TLS.

use super::{read_text, resolve_key, write_file};
use crate::app::App;
use crate::failure::Failure;
use crate::render::custody::{CertificateView, CsrView, SettingView, WrittenView};
use clap::{ArgGroup, Args, Subcommand};
use registrar_core::custody::{CertificateSubject, KeyRecord};
use registrar_core::ProfileSecrets;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum CertCommand {
    /// Make a self-signed certificate for a key (for self_signed_tls_client_auth).
    SelfSigned(SelfSignedArgs),
    /// Print (or write) a PKCS#10 certificate signing request for a key, for a CA to sign.
    Csr(CsrArgs),
    /// Import a certificate chain (PEM, leaf first) for the key it was issued to.
    Import(ImportArgs),
    /// Show a key's certificate: subject, issuer, SANs, validity, x5t#S256 and the
    /// registration fields it fills.
    Show(ShowArgs),
    /// Present a key's certificate on every request of the profile (mutual TLS), or none.
    Use(UseArgs),
}

#[derive(Debug, Args)]
pub struct SubjectArgs {
    /// The subject's common name (CN).
    #[arg(long, value_name = "NAME")]
    pub cn: String,
    /// The organisation (O).
    #[arg(long = "o", value_name = "ORG")]
    pub organization: Option<String>,
    /// The organisational unit (OU; Open Banking: the organisation id).
    #[arg(long = "ou", value_name = "UNIT")]
    pub organizational_unit: Option<String>,
    /// The country (C), two letters.
    #[arg(long = "c", value_name = "CC")]
    pub country: Option<String>,
    /// A DNS name for the subject alternative names; repeatable.
    #[arg(long = "dns", value_name = "NAME")]
    pub dns_names: Vec<String>,
}

impl SubjectArgs {
    fn subject(&self) -> CertificateSubject {
        CertificateSubject {
            common_name: self.cn.clone(),
            organization: self.organization.clone(),
            organizational_unit: self.organizational_unit.clone(),
            country: self.country.clone(),
            dns_names: self.dns_names.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct SelfSignedArgs {
    /// The profile (name or id).
    pub profile: String,
    /// The key's kid (or a prefix only it has; it may start with "-").
    #[arg(allow_hyphen_values = true)]
    pub kid: String,
    #[command(flatten)]
    pub subject: SubjectArgs,
    /// How many days it is valid.
    #[arg(long, default_value_t = 365)]
    pub days: u32,
}

#[derive(Debug, Args)]
pub struct CsrArgs {
    /// The profile (name or id).
    pub profile: String,
    /// The key's kid (or a prefix only it has; it may start with "-").
    #[arg(allow_hyphen_values = true)]
    pub kid: String,
    #[command(flatten)]
    pub subject: SubjectArgs,
    /// Write the CSR to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["file", "stdin"])))]
pub struct ImportArgs {
    /// The profile (name or id).
    pub profile: String,
    /// The chain as PEM, leaf first ("-" for standard input).
    #[arg(long, short = 'f', value_name = "CHAIN.pem")]
    pub file: Option<PathBuf>,
    /// Read the chain from standard input.
    #[arg(long)]
    pub stdin: bool,
    /// The key it was issued to [default: the profile's key the leaf's public key is].
    #[arg(long, value_name = "KID", allow_hyphen_values = true)]
    pub key: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The profile (name or id).
    pub profile: String,
    /// The key's kid (or a prefix only it has; it may start with "-").
    #[arg(allow_hyphen_values = true)]
    pub kid: String,
    /// Print the chain as PEM instead (public: for a provider or a colleague).
    #[arg(long)]
    pub pem: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["kid", "none"])))]
pub struct UseArgs {
    /// The profile (name or id).
    pub profile: String,
    /// The key whose certificate to present (its kid, or a prefix only it has).
    #[arg(allow_hyphen_values = true)]
    pub kid: Option<String>,
    /// Present no client certificate.
    #[arg(long)]
    pub none: bool,
}

pub fn run(app: &App, command: CertCommand) -> Result<(), Failure> {
    match command {
        CertCommand::SelfSigned(args) => self_signed(app, args),
        CertCommand::Csr(args) => csr(app, args),
        CertCommand::Import(args) => import(app, args),
        CertCommand::Show(args) => show(app, args),
        CertCommand::Use(args) => use_certificate(app, args),
    }
}

fn view(app: &App, profile: &str, key: KeyRecord, headline: Option<String>) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(profile)?;
    let Some(certificate) = key.certificate.clone() else {
        return Err(no_certificate(&profile.name, &key.kid));
    };
    let used = profile.tls.client_certificate.as_deref() == Some(key.kid.as_str());
    let mut view = CertificateView::new(&profile.name, &key, certificate, used);
    view.headline = headline;
    app.out.show(&view)
}

fn no_certificate(profile: &str, kid: &str) -> Failure {
    Failure::usage(format!("key {kid} has no certificate")).hint(format!(
        "make one with `registrar cert self-signed {profile} {kid} --cn NAME`, or import a CA's with `registrar cert import {profile} --file CHAIN.pem`"
    ))
}

fn self_signed(app: &App, args: SelfSignedArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let key = resolve_key(&registrar, &args.profile, &args.kid)?;
    let key = registrar.self_signed_certificate(&args.profile, &key.kid, &args.subject.subject(), args.days)?;
    let headline = format!(
        "Made a self-signed certificate for key {}, valid for {} days.",
        key.kid, args.days
    );
    view(app, &args.profile, key, Some(headline))
}

fn csr(app: &App, args: CsrArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let key = resolve_key(&registrar, &args.profile, &args.kid)?;
    let pem = registrar.certificate_request(&args.profile, &key.kid, &args.subject.subject())?;
    match &args.out {
        Some(path) => {
            write_file(path, pem.as_bytes(), false)?;
            app.out.show(&WrittenView {
                written: path.display().to_string(),
                what: format!("a certificate signing request for key {}", key.kid),
                mode: None,
            })
        }
        None => app.out.show(&CsrView {
            kid: key.kid,
            csr_pem: pem,
        }),
    }
}

fn import(app: &App, args: ImportArgs) -> Result<(), Failure> {
    let chain = read_text(args.file.as_deref(), args.stdin, "certificate chain")?;
    let registrar = app.open()?;
    let kid = match &args.key {
        Some(kid) => Some(resolve_key(&registrar, &args.profile, kid)?.kid),
        None => None,
    };
    let key = registrar.import_certificate(&args.profile, &chain, kid.as_deref())?;
    let headline = format!("Imported the certificate of key {}.", key.kid);
    view(app, &args.profile, key, Some(headline))
}

fn show(app: &App, args: ShowArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let key = resolve_key(&registrar, &args.profile, &args.kid)?;
    if args.pem {
        let Some(certificate) = &key.certificate else {
            return Err(no_certificate(&args.profile, &key.kid));
        };
        if app.out.is_json() {
            return crate::render::print_json(&serde_json::json!({ "kid": key.kid, "pem": certificate.pem }));
        }
        print!("{}", certificate.pem);
        return Ok(());
    }
    view(app, &args.profile, key, None)
}

fn use_certificate(app: &App, args: UseArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let mut profile = registrar.profile(&args.profile)?;
    let kid = match (&args.kid, args.none) {
        (Some(kid), false) => {
            let key = resolve_key(&registrar, &profile.id, kid)?;
            if key.certificate.is_none() {
                return Err(no_certificate(&profile.name, &key.kid));
            }
            Some(key.kid)
        }
        _ => None,
    };
    profile.tls.client_certificate = kid.clone();
    let saved = registrar.save_profile(&profile, &ProfileSecrets::default())?;
    let sentence = match &kid {
        Some(kid) => format!(
            "Profile {} presents the certificate of key {kid} on every request (mutual TLS).",
            saved.name
        ),
        None => format!("Profile {} presents no client certificate.", saved.name),
    };
    app.out.show(&SettingView {
        profile: saved.name,
        setting: "tls.client_certificate",
        value: kid,
        sentence,
    })
}
