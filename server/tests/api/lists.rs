//! Staff lists over HTTP: read a page at a time with their total, never cut at a
//! silent LIMIT, whatever `page=` holds; and the reads of the privacy registers
//! and the queue's searches are written to the audit log.

use app::staff::{privacy::ReportsPage, queue::QueuePage};
use awn_domain::{
    calendar::CalendarDay,
    channels::Channel,
    locale::Language,
    requests::{RequestDraft, ValidRequest, WizardStep, validate_request},
    staff::StaffRole,
};
use awn_storage::{
    now_unix_seconds,
    privacy_reports::{self, NewPrivacyReport, ReportSource},
    requests::{self, NewRequest, Submission},
};
use sqlx::Row;

use crate::{
    helpers::{TestApp, national_id, spawn_app},
    staff::staff_browser,
};

async fn audit_entries(app: &TestApp, action: &str) -> Vec<String> {
    sqlx::query("SELECT reason FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(app.database.pool())
        .await
        .expect("the audit log")
        .iter()
        .map(|row| row.get("reason"))
        .collect()
}

fn junk(n: i64) -> String {
    format!("رسالة عشوائية رقم {n}.")
}

#[tokio::test]
async fn a_real_violation_report_after_300_junk_ones_is_on_the_first_page_with_the_total_and_its_clock() {
    let app = spawn_app().await;
    let start = now_unix_seconds() - 10_000;
    for n in 0..304 {
        let description = junk(n);
        let new = NewPrivacyReport {
            source: ReportSource::Website,
            reporter_name: "",
            reporter_contact: "",
            description: &description,
            recorded_by: None,
        };
        privacy_reports::submit(&app.database, new, start + n).await.expect("storage").expect("recorded");
    }
    let real = "نُشرت قائمة بأسماء المستفيدين وأرقام هوياتهم في مجموعة عامة.";
    let (status, body) = app.browser().call("privacy/violation", &[("description", real)]).await;
    assert_eq!((status, body.as_str()), (200, "null"), "the real report is received");

    let privacy = staff_browser(&app, StaffRole::PrivacyOfficer, true).await;
    let (status, body) = privacy.call("staff/privacy_reports", &[]).await;
    assert_eq!(status, 200, "{body}");
    let page: ReportsPage = serde_json::from_str(&body).expect("a page");
    assert_eq!((page.pages.total, page.pages.page, page.reports.len()), (305, 1, 50));
    assert_eq!(page.reports[0].description, real, "the newest first");
    let minutes = page.reports[0].minutes_left.expect("the 72-hour clock runs on an open report");
    assert!((72 * 60 - 2..=72 * 60).contains(&minutes), "{minutes}");

    let (status, html) = privacy.page("/staff/privacy-reports").await;
    assert_eq!(status, 200);
    assert!(html.contains(real), "{html}");
    assert!(html.contains("الصفحة 1 من 7 · 305 عناصر"), "the total and the pages: {html}");
    assert!(html.contains("إن كان خرقًا فيجب إبلاغ الجهة المختصة"), "the clock on an open report: {html}");
    assert!(!html.contains(&junk(0)), "the oldest is on the last page");

    // Page 7 shows the rest; any value of `page` answers, past the end the last page.
    let (status, html) = privacy.page("/staff/privacy-reports?page=7").await;
    assert_eq!(status, 200);
    assert!(html.contains(&junk(0)) && html.contains(&junk(4)) && !html.contains(real), "{html}");
    let (_, html) = privacy.page("/staff/privacy-reports?page=99999").await;
    assert!(html.contains(&junk(0)) && html.contains("الصفحة 7 من 7"), "{html}");
    for bad in ["abc", "-1", "0", "%00", "1e9"] {
        let (status, html) = privacy.page(&format!("/staff/privacy-reports?page={bad}")).await;
        assert_eq!(status, 200, "page={bad}");
        assert!(html.contains(real), "page={bad} is the first page");
    }
    let (status, body) = privacy.call("staff/privacy_reports", &[("page", "abc")]).await;
    assert_eq!(status, 200, "{body}");
}

fn valid_request(national_id: &str) -> ValidRequest {
    let draft = RequestDraft {
        step: WizardStep::Declaration,
        full_name: "أحمد عبدالله سعيد القحطاني".into(),
        national_id: national_id.into(),
        birth_date: "1985-03-14".into(),
        mobile: "0551230000".into(),
        city: "الرهاة".into(),
        district: "الحي الشمالي".into(),
        household_members: "5".into(),
        monthly_income: "2000".into(),
        housing: "rented".into(),
        support_kind: "food_basket".into(),
        description: "نحتاج إلى سلة غذائية شهرية.".into(),
        declaration_accepted: true,
        signature: "أحمد عبدالله سعيد القحطاني".into(),
        consent_sms: true,
        ..RequestDraft::default()
    };
    let kinds = vec!["food_basket".to_string()];
    validate_request(&draft, CalendarDay { year: 2026, month: 11, day: 25 }, &kinds).expect("a valid request")
}

/// `count` requests with their own national IDs, straight into storage (the
/// wizard is tested elsewhere); returns their ids.
async fn many_requests(app: &TestApp, count: u32) -> Vec<i64> {
    app.signed_in("0551230000").await;
    let beneficiary: i64 = sqlx::query_scalar("SELECT id FROM beneficiary_accounts ORDER BY id DESC")
        .fetch_one(app.database.pool())
        .await
        .expect("the account");
    let mut ids = Vec::new();
    for n in 0..count {
        let request = valid_request(&national_id(&format!("1{n:08}")));
        let new = NewRequest {
            beneficiary_id: beneficiary,
            request: &request,
            declaration_version: "1.0",
            language: Language::Arabic,
            now: now_unix_seconds(),
            channel: Channel::Website,
            actor: requests::ACTOR_BENEFICIARY,
        };
        match requests::submit(&app.database, new, |_, _| Vec::new()).await.expect("storage") {
            Submission::Submitted { id, .. } => ids.push(id),
            other => panic!("not submitted: {other:?}"),
        }
    }
    ids
}

async fn queue_page(browser: &crate::helpers::Browser, args: &[(&str, &str)]) -> QueuePage {
    let mut args = args.to_vec();
    args.push(("language", "Arabic"));
    let (status, body) = browser.call("staff/queue", &args).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("a page")
}

#[tokio::test]
async fn the_queue_is_paged_with_its_total_keeping_its_filters_and_any_page_value_answers() {
    let app = spawn_app().await;
    let mut submitted = many_requests(&app, 55).await;
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;

    let first = queue_page(&officer, &[]).await;
    assert_eq!((first.pages.total, first.pages.page, first.rows.len()), (55, 1, 50));
    let second = queue_page(&officer, &[("page", "2")]).await;
    assert_eq!((second.pages.page, second.rows.len()), (2, 5), "page 2 shows the rest");
    let mut listed: Vec<i64> = first.rows.iter().chain(&second.rows).map(|row| row.id.get()).collect();
    listed.sort_unstable();
    submitted.sort_unstable();
    assert_eq!(listed, submitted, "every request on one page or the other");
    let filtered = queue_page(&officer, &[("status", "submitted"), ("page", "2")]).await;
    assert_eq!((filtered.pages.total, filtered.rows.len()), (55, 5));
    let searched = queue_page(&officer, &[("search", "القحطاني"), ("page", "2")]).await;
    assert_eq!((searched.pages.total, searched.rows.len()), (55, 5), "a search is paged too");
    for bad in ["abc", "-1", "99999", ""] {
        let page = queue_page(&officer, &[("page", bad)]).await;
        assert!(!page.rows.is_empty(), "page={bad}");
    }

    let (status, html) = officer.page("/staff?status=submitted").await;
    assert_eq!(status, 200);
    assert!(html.contains("الصفحة 1 من 2 · 55 عنصرًا"), "the pager: {html}");
    assert!(
        html.contains("href=\"/staff?status=submitted&amp;page=2\"")
            || html.contains("href=\"/staff?status=submitted&page=2\""),
        "the next page keeps the filter: {html}"
    );
    let (status, html) = officer.page("/staff?page=2").await;
    assert_eq!(status, 200);
    assert!(html.contains("الصفحة 2 من 2") && html.contains("rel=\"prev\""), "{html}");
    for bad in ["abc", "-1", "99999", "%00", "1.5"] {
        let (status, _) = officer.page(&format!("/staff?page={bad}")).await;
        assert_eq!(status, 200, "page={bad}");
    }

    // In Arabic-Indic digits for whoever prefers them.
    let chosen =
        officer.client.get(officer.url("/preferences/digits/arab?next=%2Fstaff")).send().await.expect("the link");
    assert_eq!(chosen.status().as_u16(), 303);
    let (_, html) = officer.page("/staff").await;
    assert!(html.contains("الصفحة ١ من ٢ · ٥٥ عنصرًا"), "{html}");
}

#[tokio::test]
async fn listing_the_privacy_registers_and_searching_the_queue_are_audited_reads() {
    let app = spawn_app().await;
    let privacy = staff_browser(&app, StaffRole::PrivacyOfficer, true).await;
    for (endpoint, action) in [
        ("staff/privacy_reports", "privacy_reports.view"),
        ("staff/data_requests", "data_requests.view"),
        ("staff/disclosures", "disclosures.view"),
    ] {
        assert!(audit_entries(&app, action).await.is_empty());
        let (status, body) = privacy.call(endpoint, &[]).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(audit_entries(&app, action).await, ["privacy"], "{endpoint} is an audited read");
    }

    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    queue_page(&officer, &[]).await;
    assert_eq!(audit_entries(&app, "queue.view").await, ["casework"]);
    assert!(audit_entries(&app, "queue.search").await.is_empty());
    queue_page(&officer, &[("search", "  أحمد\n  1000000008 ")]).await;
    assert_eq!(audit_entries(&app, "queue.search").await, ["casework:أحمد ******0008"], "who looked for whom");
    assert_eq!(audit_entries(&app, "queue.view").await.len(), 1, "a search is recorded as a search");
    // A search from the page's own form (no JavaScript) is recorded the same way.
    let (status, _) = officer.page("/staff?q=%D8%A7%D9%84%D9%82%D8%AD%D8%B7%D8%A7%D9%86%D9%8A").await;
    assert_eq!(status, 200);
    assert_eq!(audit_entries(&app, "queue.search").await.last().map(String::as_str), Some("casework:القحطاني"));
}
