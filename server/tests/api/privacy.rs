//! Privacy over HTTP and from the command line (B1–B12): the audit log the
//! privacy officer searches and verifies.

use awn_domain::staff::StaffRole;

use crate::{
    helpers::spawn_app,
    staff::{staff_browser, staff_login, submitted_request},
};

async fn verify_audit(app: &crate::helpers::TestApp) -> (bool, String) {
    verify_audit_with(app, &[]).await
}

/// `awn verify-audit` with `arguments`, against the app's database and key file.
async fn verify_audit_with(app: &crate::helpers::TestApp, arguments: &[&str]) -> (bool, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_awn"));
    command
        .arg("verify-audit")
        .args(arguments)
        .env("DATABASE_URL", &app.database_url)
        .env("AWN_DATA_DIR", &app.data_dir)
        .env("RUST_LOG", "error");
    let output = crate::helpers::run_awn(command).await;
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
    let (intact, text) = verify_audit(&app).await;
    assert!(intact, "{text}");
    assert!(text.contains("intact"), "{text}");

    // Someone with access to the database rewrites who read the file (the
    // owner of a PostgreSQL database can turn its append-only trigger off).
    if app.database.backend() == awn_storage::Backend::Postgres {
        sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER").execute(app.database.pool()).await.expect("owner");
    }
    sqlx::query("UPDATE audit_log SET reason = 'routine' WHERE action = 'case.view'")
        .execute(app.database.pool())
        .await
        .expect("the edit");
    let (_, body) = privacy.call("staff/audit/verify", &[]).await;
    let report: app::staff::audit::ChainReport = serde_json::from_str(&body).expect("a report");
    assert_eq!(report.broken.map(|b| b.2), Some("ContentChanged".to_owned()));
    let (intact, text) = verify_audit(&app).await;
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
    assert_eq!(
        (report.description.as_str(), report.reporter.as_str(), report.source.as_str()),
        (description, "", "website")
    );
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
        .call(
            "staff/privacy_reports/step",
            &[("report", &id), ("step", "close"), ("outcome", "أُبلغت الجهة وأُوقف التسريب.")],
        )
        .await;
    assert_eq!(problem_of(&body), None);
    let (_, body) = privacy.call("staff/privacy_reports", &[]).await;
    let page: app::staff::privacy::ReportsPage = serde_json::from_str(&body).expect("a page");
    assert_eq!((page.reports[0].status.code(), page.reports[0].minutes_left), ("closed", None));
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
    let privacy = staff_login(&app, StaffRole::PrivacyOfficer, true).await;
    let mut args = vec![
        ("beneficiary", beneficiary.as_str()),
        ("authority", "النيابة العامة"),
        ("order_date", "2026-11-01"),
        ("data_disclosed", "بيانات الاتصال وطلب الدعم"),
    ];
    let (_, body) = privacy.call_confirmed(&app, "staff/disclosures/record", &args).await;
    assert_eq!(problem_of(&body).map(|p| p.field), Some("order_reference".to_owned()));
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM disclosures").fetch_one(app.database.pool()).await.expect("count");
    assert_eq!(stored, 0, "nothing recorded without the order");

    args.push(("order_reference", "٣٣٢١/ن"));
    let (_, body) = privacy.call_confirmed(&app, "staff/disclosures/record", &args).await;
    assert_eq!(problem_of(&body), None);
    let (_, body) = privacy.browser.call("staff/disclosures", &[]).await;
    let page: app::staff::privacy::DisclosuresPage = serde_json::from_str(&body).expect("a page");
    assert_eq!(page.disclosures[0].order_reference, "3321/ن");
    // A relations officer cannot record one.
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    assert_eq!(officer.call("staff/disclosures/record", &args).await.0, 403);
}

async fn page_views(app: &crate::helpers::TestApp) -> i64 {
    sqlx::query_scalar("SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM page_views")
        .fetch_one(app.database.pool())
        .await
        .expect("page views")
}

/// The views counted so far, once their writes (made off the request path) are done.
async fn settled_page_views(app: &crate::helpers::TestApp) -> i64 {
    app.page_views_settled().await;
    page_views(app).await
}

#[tokio::test]
async fn nothing_is_counted_before_consent_or_after_a_refusal_and_every_choice_is_recorded() {
    let app = spawn_app().await;
    let visitor = app.browser();
    let response = visitor.client.get(visitor.url("/faq")).send().await.expect("the page");
    assert!(
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap_or_default().starts_with("awn_consent")),
        "no consent cookie before a choice"
    );
    let html = response.text().await.expect("a body");
    assert!(html.contains("موافقتك على استخدام البيانات"), "the banner asks");
    visitor.page("/").await;
    assert_eq!(settled_page_views(&app).await, 0, "no statistics before consent");

    let (status, _) = visitor.call("consent/choose", &[("method", "reject_all"), ("return_to", "/faq")]).await;
    assert_eq!(status, 200);
    visitor.page("/faq").await;
    assert_eq!(settled_page_views(&app).await, 0, "none after rejecting");
    let (_, page) = visitor.page("/faq").await;
    assert!(!page.contains("موافقتك على استخدام البيانات"), "the banner does not ask again");

    // Changed later from the privacy choices page: statistics only.
    visitor.call("consent/choose", &[("method", "custom"), ("analytics", "1")]).await;
    visitor.page("/").await;
    visitor.page("/faq").await;
    assert_eq!(settled_page_views(&app).await, 2);
    let paths: Vec<String> = sqlx::query_scalar("SELECT path FROM page_views ORDER BY path")
        .fetch_all(app.database.pool())
        .await
        .expect("paths");
    assert_eq!(paths, ["/", "/faq"]);
    // The figures reach the reports, and nothing else does.
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let (_, body) = admin.call("staff/reports", &[("language", "English")]).await;
    let report: app::staff::reports::ReportView = serde_json::from_str(&body).expect("a report");
    let views = report.sections.iter().find(|s| s.title.starts_with("Website page views")).expect("the section");
    assert_eq!(views.rows, [("/".to_owned(), 1), ("/faq".to_owned(), 1)]);

    let records: Vec<(String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT visitor_id, method, analytics, communications, policy_version FROM visitor_consents ORDER BY id",
    )
    .fetch_all(app.database.pool())
    .await
    .expect("records");
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].0, records[1].0, "one anonymous visitor");
    assert_eq!((records[0].1.as_str(), records[0].2, records[0].3), ("reject_all", 0, 0));
    assert_eq!((records[1].1.as_str(), records[1].2, records[1].3), ("custom", 1, 0));
    assert!(!records[1].4.is_empty(), "the policy version shown");
}

#[tokio::test]
async fn without_javascript_the_banner_choice_returns_to_the_page() {
    let app = spawn_app().await;
    let visitor = app.browser();
    let (status, location) =
        visitor.post_form("/api/consent/choose", "/faq", &[("method", "accept_all"), ("return_to", "/faq?q=x")]).await;
    assert_eq!((status, location.as_str()), (302, "/faq?q=x"));
    let (_, page) = visitor.page("/privacy-choices").await;
    assert!(page.contains("اختيارك الحالي"), "{page}");
    // Not somewhere else.
    let (_, location) = visitor
        .post_form("/api/consent/choose", "/faq", &[("method", "reject_all"), ("return_to", "//evil.example")])
        .await;
    assert_eq!(location, "/");
}

#[tokio::test]
async fn a_beneficiary_sees_and_downloads_their_data_manages_consents_and_has_it_deleted() {
    let app = spawn_app().await;
    submitted_request(&app, "0563334444", "112233440").await;
    let beneficiary = app.signed_in("0563334444").await;
    let (status, body) = beneficiary.call("my_data", &[("language", "Arabic")]).await;
    assert_eq!(status, 200, "{body}");
    let page: app::my_data::MyDataPage = serde_json::from_str(&body).expect("the page");
    assert_eq!(page.data.requests[0].full_name, "أحمد عبدالله سعيد القحطاني");

    // Consent given and withdrawn online, each kept in the history.
    assert_eq!(beneficiary.call("my_data/consent", &[("kind", "news_sms"), ("granted", "1")]).await.0, 200);
    assert_eq!(beneficiary.call("my_data/consent", &[("kind", "news_sms"), ("granted", "0")]).await.0, 200);
    // Sharing is given in writing only, never with a tap.
    assert_eq!(
        beneficiary.call("my_data/consent", &[("kind", "sharing"), ("party", "x"), ("granted", "1")]).await.0,
        403
    );
    let (_, body) = beneficiary.call("my_data", &[("language", "Arabic")]).await;
    let page: app::my_data::MyDataPage = serde_json::from_str(&body).expect("the page");
    assert_eq!(page.data.consent_history.len(), 2);
    assert!(page.data.consents_in_force.iter().all(|c| !c.granted));
    // Staff see the same register in the beneficiary's file.
    let beneficiary_id: i64 = awn_storage::accounts::beneficiary_by_mobile(&app.database, "+966563334444")
        .await
        .expect("storage")
        .expect("the account");
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (_, body) =
        officer.call("staff/beneficiary", &[("id", &beneficiary_id.to_string()), ("language", "Arabic")]).await;
    let file: app::staff::beneficiary::BeneficiaryView = serde_json::from_str(&body).expect("the file");
    assert_eq!((file.consent_history.len(), file.consents_in_force.len()), (2, 1));
    assert!(!file.consents_in_force[0].granted);

    let (status, content_type, json) = beneficiary.download("/my-data/export.json").await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    let exported: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
    assert_eq!(exported["requests"][0]["national_id"], crate::helpers::national_id("112233440"));
    let (status, html) = beneficiary.page("/my-data/export.html").await;
    assert_eq!(status, 200);
    assert!(html.contains("أحمد عبدالله سعيد القحطاني") && html.contains("dir=\"rtl\""), "{html}");
    let (status, _, _) = app.browser().download("/my-data/export.json").await;
    assert_eq!(status, 303, "signed out: to the sign-in page");

    // A correction must say what; a deletion is carried out by the privacy officer.
    let (_, body) = beneficiary.call("my_data/request", &[("kind", "correction")]).await;
    assert!(body.contains("Required"), "{body}");
    let (_, body) = beneficiary.call("my_data/request", &[("kind", "deletion")]).await;
    assert_eq!(body, "null");
    let privacy = staff_login(&app, StaffRole::PrivacyOfficer, true).await;
    let (_, body) = privacy.browser.call("staff/data_requests", &[]).await;
    let page: app::staff::privacy::DataRequestsPage = serde_json::from_str(&body).expect("the page");
    let request = page.requests[0].id.to_string();
    let (_, body) = privacy.call_confirmed(&app, "staff/data_requests/erase", &[("request", &request)]).await;
    assert_eq!(body, "null");
    let (_, body) = privacy.browser.call("staff/data_requests", &[]).await;
    let page: app::staff::privacy::DataRequestsPage = serde_json::from_str(&body).expect("the page");
    assert_eq!(page.requests[0].status.code(), "done");
    assert!(page.requests[0].outcome.as_deref().unwrap_or_default().contains("سجل التدقيق"), "{page:?}");
    // The person's session ended with their data.
    assert_eq!(beneficiary.call("my_data", &[("language", "Arabic")]).await.0, 401);
    let names: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM support_requests WHERE full_name LIKE '%القحطاني%'")
        .fetch_one(app.database.pool())
        .await
        .expect("count");
    assert_eq!(names, 0);
}

#[tokio::test]
async fn a_new_policy_version_is_accepted_again_before_personal_data_and_the_old_one_stays_readable() {
    let app = spawn_app().await;
    let request = submitted_request(&app, "0564445555", "113344550").await.to_string();
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    assert_eq!(officer.call("staff/case", &[("id", &request), ("language", "Arabic")]).await.0, 200);

    let admin = staff_login(&app, StaffRole::Admin, true).await;
    let publish = [("version", "1.1"), ("body_ar", "# سياسة الخصوصية ١٫١"), ("body_en", "# Privacy policy 1.1")];
    let (_, body) = admin.call_confirmed(&app, "staff/policy/publish", &[("version", "1.1"), ("body_ar", "نص")]).await;
    assert!(body.contains("body_en"), "{body}");
    let (_, body) = admin.call_confirmed(&app, "staff/policy/publish", &publish).await;
    assert_eq!(body, "null");
    let (_, body) = admin.call_confirmed(&app, "staff/policy/publish", &publish).await;
    assert!(body.contains("Duplicate"), "{body}");

    let (status, body) = officer.call("staff/case", &[("id", &request), ("language", "Arabic")]).await;
    assert_eq!((status, body.as_str()), (403, "\"PolicyNotAccepted\""));
    assert_eq!(officer.call("staff/accept_policy", &[("version", "1.1")]).await.0, 200);
    assert_eq!(officer.call("staff/case", &[("id", &request), ("language", "Arabic")]).await.0, 200);
    let (status, page) = app.browser().page("/privacy/1.0").await;
    assert_eq!(status, 200);
    assert!(page.contains("1.0"), "{page}");
}

#[tokio::test]
async fn the_research_export_never_releases_a_group_smaller_than_five_nor_any_identifier() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(submitted_request(&app, &format!("056500000{n}"), &format!("11440000{n}")).await);
    }
    // One of them alone in its group: its outcome differs.
    sqlx::query("UPDATE support_requests SET status = 'closed', is_open = 0 WHERE id = $1")
        .bind(ids[0])
        .execute(app.database.pool())
        .await
        .expect("closed");
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let (status, content_type, csv) = admin.download("/staff/reports/research.csv").await;
    assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"));
    let text = String::from_utf8(csv).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "age_band,household_band,monthly_income_band,support_kind,outcome,people");
    assert_eq!(lines[1], "30-44,3-5,2000-4999,food_basket,submitted,5", "{text}");
    assert!(!text.contains("closed"), "a group of one is withheld: {text}");
    assert!(!text.contains("القحطاني") && !text.contains("05650") && !text.contains("11440000"), "{text}");
    let consultant = staff_browser(&app, StaffRole::Consultant, true).await;
    assert_eq!(consultant.download("/staff/reports/research.csv").await.0, 403);
}

#[tokio::test]
async fn a_backup_is_taken_while_the_server_runs_and_restores() {
    let app = spawn_app().await;
    submitted_request(&app, "0566667777", "115566770").await;
    let dir = std::env::temp_dir().join(format!("awn-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let target = dir.join("awn-backup.bin");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_awn"));
    command.arg("backup").arg("--to").arg(&target).env("DATABASE_URL", &app.database_url).env("RUST_LOG", "error");
    let output = crate::helpers::run_awn(command).await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let bytes = std::fs::read(&target).expect("the backup");
    if app.database_url.starts_with("sqlite") {
        // Restoring is opening the file (see the README): the data is there.
        let restored = awn_storage::Database::connect(&format!("sqlite://{}", target.display())).await.expect("opens");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM support_requests")
            .fetch_one(restored.pool())
            .await
            .expect("readable");
        assert_eq!(count, 1);
    } else {
        assert!(bytes.starts_with(b"PGDMP"), "a pg_dump custom archive");
    }
    // Never over an existing file.
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_awn"));
    command.arg("backup").arg("--to").arg(&target).env("DATABASE_URL", &app.database_url);
    let again = crate::helpers::run_awn(command).await;
    assert!(!again.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn news_goes_only_to_those_who_consented_and_a_withdrawal_stops_the_next_message() {
    // The worker waits long between polls, so that the withdrawal below comes
    // before any delivery, whatever the timing.
    let app = crate::helpers::spawn_app_with(|settings| settings.outbox_poll_ms = 600_000).await;
    let keen = app.signed_in("0567770001").await;
    let reluctant = app.signed_in("0567770002").await;
    keen.call("my_data/consent", &[("kind", "news_sms"), ("granted", "1")]).await;
    reluctant.call("my_data/consent", &[("kind", "news_sms"), ("granted", "1")]).await;
    reluctant.call("my_data/consent", &[("kind", "news_sms"), ("granted", "0")]).await;
    let admin = staff_login(&app, StaffRole::Admin, true).await;
    let (_, body) = admin.call_confirmed(&app, "staff/news/send", &[("body_ar", "يوم مفتوح للأسر الأحد القادم")]).await;
    assert!(body.contains("body_en"), "{body}");
    let send = [("body_ar", "يوم مفتوح للأسر الأحد القادم"), ("body_en", "An open day for families next Sunday")];
    assert_eq!(admin.call_confirmed(&app, "staff/news/send", &send).await.1, "null");
    let queued = |status: &'static str| {
        let database = app.database.clone();
        async move {
            let mut messages = awn_storage::outbox::recent(&database, 1000).await.expect("outbox");
            messages.retain(|m| m.purpose == "news" && m.status == status);
            messages.sort_by_key(|m| m.id);
            messages.into_iter().map(|m| m.recipient).collect::<Vec<_>>()
        }
    };
    assert_eq!(queued("pending").await, ["+966567770001"]);
    // Withdrawn before the worker got to it: the news is not sent.
    keen.call("my_data/consent", &[("kind", "news_sms"), ("granted", "0")]).await;
    assert!(queued("pending").await.is_empty());
    assert_eq!(queued("cancelled").await, ["+966567770001"]);
    // With nobody left who consented, nothing is queued and the sender is told.
    assert!(admin.call_confirmed(&app, "staff/news/send", &send).await.1.contains("NotFound"));
}

#[tokio::test]
async fn a_sharing_consent_is_recorded_only_with_its_signed_form_and_stays_out_of_the_draft() {
    let app = spawn_app().await;
    let beneficiary = app.signed_in("0561113333").await;
    let id: i64 = awn_storage::accounts::beneficiary_by_mobile(&app.database, "+966561113333")
        .await
        .expect("storage")
        .expect("the account");
    let action = format!("/staff/beneficiaries/{id}/sharing-consent");
    let back = format!("/staff/beneficiaries/{id}");
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

    // A volunteer may not; an officer without a named party or without a form is refused.
    let volunteer = staff_browser(&app, StaffRole::Volunteer, true).await;
    let (status, _) = volunteer.upload_form(&action, &[("party", "جمعية البر")], "form.png", PNG.to_vec()).await;
    assert_eq!(status, 403);
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (status, location) = officer.upload_form(&action, &[("party", " ")], "form.png", PNG.to_vec()).await;
    assert_eq!((status, location.as_str()), (303, back.as_str()));
    let (_, location) =
        officer.upload_form(&action, &[("party", "جمعية البر")], "form.txt", b"not a form".to_vec()).await;
    assert_eq!(location, back);
    let (_, page) = officer.page(&back).await;
    assert!(page.contains("نوع الملف غير مقبول"), "the refusal is shown on the file page");
    let granted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE kind = 'sharing'")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert_eq!(granted, 0, "nothing recorded on a refusal");

    let (status, location) = officer.upload_form(&action, &[("party", "جمعية البر")], "موافقة.png", PNG.to_vec()).await;
    assert_eq!((status, location), (303, format!("{back}?consent=1")));
    let row: (String, Option<i64>, String) = sqlx::query_as(
        "SELECT c.method, c.document_id, d.purpose FROM consents c JOIN documents d ON d.id = c.document_id \
         WHERE c.kind = 'sharing' AND c.granted = 1",
    )
    .fetch_one(app.database.pool())
    .await
    .expect("the consent with its form");
    assert_eq!((row.0.as_str(), row.2.as_str()), ("signed_form", "consent_form"));

    // Staff who may open the file download the form, and the read is audited; others may not.
    let document = row.1.expect("the form's document");
    let (status, _, bytes) = officer.download(&format!("/staff/documents/{document}")).await;
    assert_eq!((status, bytes.as_slice()), (200, PNG));
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'document.view' AND beneficiary_id = $1")
            .bind(id)
            .fetch_one(app.database.pool())
            .await
            .unwrap();
    assert_eq!(audited, 1);
    let (status, _, _) = volunteer.download(&format!("/staff/documents/{document}")).await;
    assert_eq!(status, 403);
    let (status, _, _) = officer.download("/staff/documents/987654").await;
    assert_eq!(status, 404);

    // The form is the person's document but never part of a request being written.
    let (_, wizard) = beneficiary.page("/requests/new").await;
    assert!(!wizard.contains("موافقة.png"), "the signed form is not a draft document");
    let (_, my_data) = beneficiary.page("/my-data").await;
    assert!(my_data.contains("جمعية البر"), "the person sees the consent in force");
}
