//! Privacy over HTTP and from the command line (B1–B12): the audit log the
//! privacy officer searches and verifies.

use awn_domain::staff::StaffRole;

use crate::{helpers::spawn_app, staff::{staff_browser, submitted_request}};

fn verify_audit(database_url: &str) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_awn"))
        .arg("verify-audit")
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "error")
        .output()
        .expect("the awn binary runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[tokio::test]
async fn the_privacy_officer_searches_the_audit_log_and_the_chain_reveals_an_edited_row() {
    let app = spawn_app().await;
    let request = submitted_request(&app, "0561112222", "110011220").await.to_string();
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (status, _) = officer.call("staff/case", &[("id", &request), ("language", "Arabic")]).await;
    assert_eq!(status, 200);

    let privacy = staff_browser(&app, StaffRole::PrivacyOfficer, true).await;
    let (status, body) = privacy.call("staff/audit", &[("request", &request), ("action", "case.")]).await;
    assert_eq!(status, 200, "{body}");
    let page: app::staff::audit::AuditPage = serde_json::from_str(&body).expect("a page");
    assert_eq!(page.lines.len(), 1, "{page:?}");
    assert_eq!(page.lines[0].action, "case.view");
    let (_, body) = privacy.call("staff/audit", &[("beneficiary", "abc")]).await;
    let page: app::staff::audit::AuditPage = serde_json::from_str(&body).expect("a page");
    assert_eq!(page.invalid, ["beneficiary"]);

    let (_, body) = privacy.call("staff/audit/verify", &[]).await;
    let report: app::staff::audit::ChainReport = serde_json::from_str(&body).expect("a report");
    assert!(report.broken.is_none() && report.entries_checked >= 3, "{report:?}");
    let (intact, text) = verify_audit(&app.database_url);
    assert!(intact, "{text}");
    assert!(text.contains("intact"), "{text}");

    // Someone with access to the database rewrites who read the file.
    sqlx::query("UPDATE audit_log SET reason = 'routine' WHERE action = 'case.view'")
        .execute(app.database.pool())
        .await
        .expect("the edit");
    let (_, body) = privacy.call("staff/audit/verify", &[]).await;
    let report: app::staff::audit::ChainReport = serde_json::from_str(&body).expect("a report");
    assert_eq!(report.broken.map(|b| b.2), Some("ContentChanged".to_owned()));
    let (intact, text) = verify_audit(&app.database_url);
    assert!(!intact, "{text}");
    assert!(text.contains("broken at place"), "{text}");
}
