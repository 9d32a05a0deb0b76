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

fn problem_of(body: &str) -> Option<app::forms::FormProblem> {
    serde_json::from_str::<Option<app::forms::FormProblem>>(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn an_anonymous_violation_report_reaches_the_privacy_officer_who_tracks_the_breach_deadline() {
    let app = spawn_app().await;
    let visitor = app.browser();
    let (_, body) = visitor.call("privacy/violation", &[("description", " ")]).await;
    assert_eq!(problem_of(&body).map(|p| p.field), Some("description".to_owned()));
    let description = "وصلتني رسالة دعائية من جهة أخرى تذكر أنني مستفيد من الجمعية.";
    let (_, body) = visitor.call("privacy/violation", &[("description", description)]).await;
    assert_eq!(problem_of(&body), None);

    let privacy = staff_browser(&app, StaffRole::PrivacyOfficer, true).await;
    let (status, body) = privacy.call("staff/privacy_reports", &[]).await;
    assert_eq!(status, 200, "{body}");
    let page: app::staff::privacy::ReportsPage = serde_json::from_str(&body).expect("a page");
    let report = &page.reports[0];
    assert_eq!((report.description.as_str(), report.reporter.as_str(), report.source.as_str()), (description, "", "website"));
    let id = report.id.to_string();
    let (_, body) = privacy.call("staff/privacy_reports/step", &[("report", &id), ("step", "breach")]).await;
    assert_eq!(problem_of(&body), None);
    let (_, body) = privacy.call("staff/privacy_reports", &[]).await;
    let page: app::staff::privacy::ReportsPage = serde_json::from_str(&body).expect("a page");
    let minutes = page.reports[0].minutes_left.expect("a deadline runs");
    assert!((72 * 60 - 2..=72 * 60).contains(&minutes), "{minutes}");
    let (_, body) = privacy.call("staff/privacy_reports/step", &[("report", &id), ("step", "close")]).await;
    assert_eq!(problem_of(&body).map(|p| p.field), Some("outcome".to_owned()));
    privacy.call("staff/privacy_reports/step", &[("report", &id), ("step", "notified")]).await;
    let (_, body) = privacy
        .call("staff/privacy_reports/step", &[("report", &id), ("step", "close"), ("outcome", "أُبلغت الجهة وأُوقف التسريب.")])
        .await;
    assert_eq!(problem_of(&body), None);
    let (_, body) = privacy.call("staff/privacy_reports", &[]).await;
    let page: app::staff::privacy::ReportsPage = serde_json::from_str(&body).expect("a page");
    assert_eq!((page.reports[0].status.as_str(), page.reports[0].minutes_left), ("closed", None));
}

#[tokio::test]
async fn a_disclosure_without_an_order_reference_is_refused_and_one_with_it_is_recorded() {
    let app = spawn_app().await;
    let request = submitted_request(&app, "0562223333", "111122330").await;
    let beneficiary: i64 = sqlx::query_scalar("SELECT beneficiary_id FROM support_requests WHERE id = $1")
        .bind(request)
        .fetch_one(app.database.pool())
        .await
        .expect("the request");
    let beneficiary = beneficiary.to_string();
    let privacy = staff_browser(&app, StaffRole::PrivacyOfficer, true).await;
    let mut args = vec![
        ("beneficiary", beneficiary.as_str()),
        ("authority", "النيابة العامة"),
        ("order_date", "2026-11-01"),
        ("data_disclosed", "بيانات الاتصال وطلب الدعم"),
    ];
    let (_, body) = privacy.call("staff/disclosures/record", &args).await;
    assert_eq!(problem_of(&body).map(|p| p.field), Some("order_reference".to_owned()));
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM disclosures").fetch_one(app.database.pool()).await.expect("count");
    assert_eq!(stored, 0, "nothing recorded without the order");

    args.push(("order_reference", "٣٣٢١/ن"));
    let (_, body) = privacy.call("staff/disclosures/record", &args).await;
    assert_eq!(problem_of(&body), None);
    let (_, body) = privacy.call("staff/disclosures", &[]).await;
    let page: app::staff::privacy::DisclosuresPage = serde_json::from_str(&body).expect("a page");
    assert_eq!(page.disclosures[0].order_reference, "3321/ن");
    // A relations officer cannot record one.
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    assert_eq!(officer.call("staff/disclosures/record", &args).await.0, 403);
}
