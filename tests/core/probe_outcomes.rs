//! Each probe step's outcome against the mock dialects: an RFC 7592 operation a provider
//! lacks is "not offered", not a failure, and a step made pointless by one is "skipped".

use registrar_core::{ProbeOptions, ProbeOutcome, ProbeReport};
use registrar_mock_op::Dialect;
use registrar_tests::Harness;

fn outcome(report: &ProbeReport, name: &str) -> Option<ProbeOutcome> {
    report.steps.iter().find(|s| s.name == name).map(|s| s.outcome)
}

#[tokio::test]
async fn operations_a_dialect_lacks_are_not_offered_and_what_follows_is_skipped() {
    // WSO2 IS 5.3 offers neither read nor update; Soffid neither update nor delete.
    for (dialect, read, update, delete) in [
        (
            Dialect::Wso2,
            ProbeOutcome::NotOffered,
            ProbeOutcome::NotOffered,
            ProbeOutcome::Pass,
        ),
        (
            Dialect::Soffid,
            ProbeOutcome::Pass,
            ProbeOutcome::NotOffered,
            ProbeOutcome::NotOffered,
        ),
        (
            Dialect::Generic,
            ProbeOutcome::Pass,
            ProbeOutcome::Pass,
            ProbeOutcome::Pass,
        ),
    ] {
        let h = Harness::start(dialect).await;
        let report = h
            .registrar
            .probe(h.p(), ProbeOptions { allow_writes: true }, &|_| {})
            .await
            .unwrap();
        let ctx = format!("{dialect}: {:#?}", report.steps);
        assert_eq!(outcome(&report, "read"), Some(read), "{ctx}");
        assert_eq!(outcome(&report, "partial update"), Some(update), "{ctx}");
        assert_eq!(outcome(&report, "delete"), Some(delete), "{ctx}");
        let full = if update == ProbeOutcome::NotOffered {
            ProbeOutcome::Skipped
        } else {
            ProbeOutcome::Pass
        };
        assert_eq!(outcome(&report, "full update"), Some(full), "{ctx}");
        for s in &report.steps {
            assert_eq!(s.ok, s.outcome != ProbeOutcome::Fail, "{ctx}");
        }
    }
}

#[tokio::test]
async fn a_read_only_probe_skips_the_writes() {
    let h = Harness::start(Dialect::Generic).await;
    let report = h
        .registrar
        .probe(h.p(), ProbeOptions::default(), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        outcome(&report, "writes"),
        Some(ProbeOutcome::Skipped),
        "{:#?}",
        report.steps
    );
}
