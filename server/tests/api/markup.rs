//! Safe on the open internet (issue 12), the data side: no markup from typed or
//! stored text in any form, possible duplicates instead of squatted national
//! IDs, receipts only to the account's own mobile, an upload's `asked` id only
//! its own request's, neutralised CSV cells, and one open survey invitation.

use app::{
    forms::{FormProblem, Problem},
    requests::wizard::{DuplicateNotice, StepOutcome},
};
use awn_domain::staff::StaffRole;
use sqlx::Row;

use crate::{
    helpers::{Browser, TestApp, e164, national_id, spawn_app},
    staff::{staff_browser, submitted_request},
    surveys::{deliver_service, invitation_path, survey_after_service},
};

/// Typed or stored text that would close a `<textarea>` and open markup.
const TYPED: &str = "</textarea><b>x</b>";
/// The same, as a page must show it: text.
const AS_TEXT: &str = "&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;";

/// The page shows the text as text and holds no markup made from it.
#[track_caller]
fn shown_as_text(page: &str, what: &str) {
    assert!(!page.contains("<b>x</b>"), "{what}: markup from data in {page}");
    assert!(page.contains(AS_TEXT), "{what}: the text is not shown in {page}");
}

/// A "keep what was typed" flash cookie, as a refused plain post leaves it:
/// for forms whose only refusal is a text over 4,000 characters.
fn flash_cookie(form: &str, field: &str, values: &[(&str, &str)]) -> String {
    let problem = FormProblem {
        form: form.into(),
        field: field.into(),
        problem: Problem::TooLong,
        values: values.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect(),
    };
    format!("{}={}", app::flash::FLASH_COOKIE, problem.to_flash().encode())
}

/// Posts a form as a browser without JavaScript and reads the page it comes back to.
async fn refused_and_back(browser: &Browser, action: &str, page: &str, args: &[(&str, &str)]) -> String {
    let (status, location) = browser.post_form(action, page, args).await;
    assert!(status == 302 || status == 303, "{action}: {status} {location}");
    browser.page(page).await.1
}

async fn beneficiary_of(app: &TestApp, request: i64) -> i64 {
    sqlx::query_scalar("SELECT beneficiary_id FROM support_requests WHERE id = $1")
        .bind(request)
        .fetch_one(app.database.pool())
        .await
        .expect("the request")
}

#[tokio::test]
async fn typed_markup_comes_back_as_text_in_every_public_form() {
    let app = spawn_app().await;
    let visitor = app.browser();
    // An anonymous question refused for want of a contact, back through the flash.
    let page = refused_and_back(&visitor, "/api/inquiries/ask", "/faq", &[("question", TYPED)]).await;
    shown_as_text(&page, "the FAQ's question");
    // A violation report refused (a name too long) keeps its description.
    let long_name = "n".repeat(301);
    let args = [("reporter_name", long_name.as_str()), ("description", TYPED)];
    let page = refused_and_back(&visitor, "/api/privacy/violation", "/privacy-violation", &args).await;
    shown_as_text(&page, "a violation report");
    // A suggestion (refused only when over 4,000 characters).
    visitor.set_cookie(&flash_cookie("suggestion", "body", &[("body", TYPED)]));
    shown_as_text(&visitor.page("/suggestions").await.1, "a suggestion");

    let mobile = "0501112233";
    let request = submitted_request(&app, mobile, "101010101").await;
    let beneficiary = app.signed_in(mobile).await;
    // A complaint about a request that is not a number.
    let args = [("request", "abc"), ("body", TYPED)];
    let page = refused_and_back(&beneficiary, "/api/complaints/submit", "/complaints", &args).await;
    shown_as_text(&page, "a complaint");
    // A message to the staff, too long (ASCII, so the flash cookie stays small).
    let (id, long_message) = (request.to_string(), format!("{TYPED}{}", "a".repeat(2000)));
    let args = [("request", id.as_str()), ("body", long_message.as_str())];
    let page =
        refused_and_back(&beneficiary, "/api/requests/send_message", &format!("/requests/{request}"), &args).await;
    shown_as_text(&page, "a message on the tracking page");
    // A question about one's data (refused only when over 4,000 characters).
    beneficiary.set_cookie(&flash_cookie("data-request", "details", &[("details", TYPED)]));
    shown_as_text(&beneficiary.page("/my-data").await.1, "a data request");
    // Stored: the wizard's draft description, shown again on its step.
    let args = [("step", "support"), ("go", "save"), ("description", TYPED)];
    assert_eq!(beneficiary.call("requests/save_step", &args).await.0, 200);
    shown_as_text(&beneficiary.page("/requests/new").await.1, "the wizard's description");
}

#[tokio::test]
async fn a_survey_comment_comes_back_as_text() {
    let app = spawn_app().await;
    survey_after_service(&app).await;
    let mobile = "0503330005";
    let request = submitted_request(&app, mobile, "100000025").await;
    deliver_service(&app, request).await;
    let path = invitation_path(&app, mobile).await;
    let token = path.trim_start_matches("/survey/");
    let version: i64 = sqlx::query_scalar("SELECT id FROM survey_versions ORDER BY id DESC LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .expect("a version");
    // The required score left out: back to the survey, the comment kept.
    let visitor = app.browser();
    let args = [("~version", version.to_string()), ("q2", TYPED.to_owned())];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = refused_and_back(&visitor, &format!("/survey-answers/{token}"), &path, &args).await;
    shown_as_text(&page, "a survey comment");
}

#[tokio::test]
async fn typed_and_stored_markup_comes_back_as_text_in_every_staff_form() {
    let app = spawn_app().await;
    let mobile = "0502223344";
    let request = submitted_request(&app, mobile, "102020202").await;
    let beneficiary_id = beneficiary_of(&app, request).await.to_string();
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;

    // The publish form writes a stored anonymous question into a textarea.
    let visitor = app.browser();
    let (_, body) = visitor.call("inquiries/ask", &[("question", TYPED), ("mobile", "0551230000")]).await;
    assert_eq!(body, "null", "asked");
    let inquiry: i64 = sqlx::query_scalar("SELECT id FROM inquiries ORDER BY id DESC LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .expect("the inquiry");
    shown_as_text(&officer.page("/staff/inquiries").await.1, "an open question");
    let args = [("inquiry", inquiry.to_string()), ("answer", "الجواب".to_owned())];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(officer.call("staff/inquiries/answer", &args).await.1, "null");
    shown_as_text(&officer.page("/staff/inquiries").await.1, "the publish form's question");
    // A question taken by phone, refused only when too long.
    officer.set_cookie(&flash_cookie("record-inquiry", "question", &[("question", TYPED)]));
    shown_as_text(&officer.page("/staff/inquiries").await.1, "a question taken by phone");

    // A phone complaint on the file, refused for want of a channel.
    let path = format!("/staff/beneficiaries/{beneficiary_id}");
    let args = [("beneficiary", beneficiary_id.as_str()), ("body", TYPED)];
    shown_as_text(
        &refused_and_back(&officer, "/api/staff/beneficiary/complaint", &path, &args).await,
        "a phone complaint",
    );
    // A complaint's resolution.
    let owner = app.signed_in(mobile).await;
    assert_eq!(owner.call("complaints/submit", &[("body", TYPED)]).await.1, "null");
    let complaint: i64 = sqlx::query_scalar("SELECT id FROM complaints ORDER BY id DESC LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .expect("the complaint");
    officer.set_cookie(&flash_cookie(&format!("resolve-{complaint}"), "resolution", &[("resolution", TYPED)]));
    shown_as_text(&officer.page("/staff/complaints").await.1, "a complaint's resolution");
    // An intake by phone refused for want of a channel keeps its description.
    let id_number = national_id("100000034");
    let args = [
        ("full_name", "خالد سعيد محمد الغامدي"),
        ("national_id", id_number.as_str()),
        ("mobile", "0502220034"),
        ("support_kind", "food_basket"),
        ("description", TYPED),
    ];
    shown_as_text(&refused_and_back(&officer, "/api/staff/intake", "/staff/intake", &args).await, "an intake");
    // An improvement action and a staff suggestion (refused only when too long).
    officer.set_cookie(&flash_cookie("action", "details", &[("details", TYPED)]));
    shown_as_text(&officer.page("/staff/improvements").await.1, "an improvement action");
    officer.set_cookie(&flash_cookie("staff-suggestion", "body", &[("body", TYPED)]));
    shown_as_text(&officer.page("/staff/feedback").await.1, "a staff suggestion");

    // Stored: an improvement action's outcome is its form's starting text.
    let owner: i64 = sqlx::query_scalar("SELECT id FROM staff_accounts ORDER BY id LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .expect("a staff account");
    let new = awn_storage::improvements::NewAction {
        title: "مواعيد أوضح",
        details: "",
        suggestion_id: None,
        response_id: None,
        owner_id: owner,
        due_on: awn_domain::calendar::CalendarDay { year: 2030, month: 1, day: 1 },
    };
    let now = awn_storage::now_unix_seconds();
    let action = awn_storage::improvements::open_action(&app.database, new, owner, now).await.expect("opened");
    let status = awn_storage::improvements::ActionStatus::InProgress;
    awn_storage::improvements::update_action(&app.database, action, status, TYPED, now).await.expect("updated");
    shown_as_text(&officer.page("/staff/improvements").await.1, "an action's outcome");

    let privacy = staff_browser(&app, StaffRole::PrivacyOfficer, true).await;
    // The answer to a data request, refused only when too long.
    assert_eq!(owner_call_data_request(&app, mobile).await, "null");
    let data_request: i64 = sqlx::query_scalar("SELECT id FROM data_requests ORDER BY id DESC LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .expect("the data request");
    let form = format!("answer-data-{data_request}");
    privacy.set_cookie(&flash_cookie(&form, "outcome", &[("outcome", TYPED)]));
    shown_as_text(&privacy.page("/staff/data-requests").await.1, "a data request's answer");
    // A disclosure without its order reference.
    let args = [
        ("beneficiary", beneficiary_id.as_str()),
        ("authority", "النيابة العامة"),
        ("order_date", "2026-11-01"),
        ("data_disclosed", TYPED),
    ];
    let page = refused_and_back(&privacy, "/api/staff/disclosures/record", "/staff/disclosures", &args).await;
    shown_as_text(&page, "a disclosure");
    // A breach reported by phone.
    privacy.set_cookie(&flash_cookie("record-report", "description", &[("description", TYPED)]));
    shown_as_text(&privacy.page("/staff/privacy-reports").await.1, "a report taken by phone");
    // Stored: the policy in force is the publish form's starting text.
    let current = awn_storage::privacy_policy::current(&app.database).await.expect("storage").expect("a policy");
    sqlx::query("UPDATE privacy_policy_versions SET body_ar = $1 WHERE version = $2")
        .bind(format!("## سياسة\n{TYPED}"))
        .bind(&current.version)
        .execute(app.database.pool())
        .await
        .expect("the policy's text");
    shown_as_text(&privacy.page("/staff/privacy-policy").await.1, "the policy's text");
    shown_as_text(&visitor.page("/privacy").await.1, "the published policy");

    // The survey builder: options in one language only are refused.
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let args = [("title_ar", "رضاك"), ("title_en", "Your satisfaction"), ("audience", "service")];
    assert_eq!(admin.call("staff/surveys/create", &args).await.1, "null");
    let survey: i64 = sqlx::query_scalar("SELECT id FROM surveys ORDER BY id DESC LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .expect("the survey");
    let id = survey.to_string();
    let args = [
        ("survey", id.as_str()),
        ("kind", "single"),
        ("prompt_ar", "هل وصلتك الخدمة في موعدها؟"),
        ("prompt_en", "On time?"),
        ("options_ar", TYPED),
    ];
    let path = format!("/staff/surveys/{survey}");
    shown_as_text(&refused_and_back(&admin, "/api/staff/surveys/question", &path, &args).await, "a survey's options");
    // A library document: its title is also the page's <title> (written raw by
    // leptos_meta), and a new version's note (refused only when too long).
    let title = "</title><b>x</b>";
    let category = awn_domain::library::LibraryCategory::Bylaws;
    let document =
        awn_storage::library::create_document(&app.database, category, title, awn_storage::now_unix_seconds())
            .await
            .expect("a library document");
    let path = format!("/staff/library/{document}");
    admin.set_cookie(&flash_cookie("upload-version", "change_note", &[("change_note", TYPED)]));
    let (_, page) = admin.page(&path).await;
    shown_as_text(&page, "a version's note");
    let head = &page[..page.find("</head>").expect("a head")];
    assert!(head.contains("<title>&lt;/title&gt;&lt;b&gt;x&lt;/b&gt; | "), "the title as text: {head}");
}

/// The beneficiary of `mobile` asks to correct their data.
async fn owner_call_data_request(app: &TestApp, mobile: &str) -> String {
    let owner = app.signed_in(mobile).await;
    let args = [("kind", "correction"), ("details", "اسم الحي غير صحيح")];
    owner.call("my_data/request", &args).await.1
}

#[tokio::test]
async fn another_accounts_request_for_the_same_id_is_received_and_flagged_to_staff() {
    let app = spawn_app().await;
    let id_number = national_id("112233446");
    let owner = app.signed_in("0501234567").await;
    let first = submitted(&owner, &id_number).await;
    // Someone else uses the same ID: received like any request, not refused,
    // and told nothing about the other one.
    let squatter = app.signed_in("0559998888").await;
    let second = submitted(&squatter, &id_number).await;
    // Their own second one of the same kind is refused, as their own.
    match submit_request(&squatter, &id_number).await {
        StepOutcome::Duplicate(DuplicateNotice::Own { id, .. }) => assert_eq!(id, second),
        other => panic!("{other:?}"),
    }
    // Staff see each flagged, with a link to the other, in the queue and on the case.
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (_, queue) = officer.page("/staff").await;
    for (this, other) in [(first, second), (second, first)] {
        let row = queue
            .split("<li class=\"queue__item")
            .find(|row| row.contains(&format!("href=\"/staff/requests/{this}\" class=\"queue__link\"")))
            .expect("the request is in the queue");
        assert!(row.contains("duplicate-flag") && row.contains(&format!("href=\"/staff/requests/{other}\"")), "{row}");
        let (_, case) = officer.page(&format!("/staff/requests/{this}")).await;
        assert!(case.contains("duplicate-notice"), "{case}");
        assert!(case.contains(&format!("href=\"/staff/requests/{other}\"")), "{case}");
    }
}

#[tokio::test]
async fn the_receipt_goes_to_the_accounts_mobile_never_to_a_typed_number() {
    let app = spawn_app().await;
    let browser = app.signed_in("0554443322").await;
    // The form says another number (0501234567).
    submitted(&browser, &national_id("112233447")).await;
    let receipts: Vec<String> = awn_storage::outbox::recent(&app.database, 100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.purpose == "request_submitted" && m.channel == "sms")
        .map(|m| m.recipient)
        .collect();
    assert_eq!(receipts, [e164("0554443322")]);
}

/// Fills every step of the wizard (typing the mobile 0501234567) and submits.
async fn submit_request(browser: &Browser, id_number: &str) -> StepOutcome {
    let steps: [(&str, Vec<(&str, &str)>); 4] = [
        (
            "applicant",
            vec![
                ("full_name", "محمد عبدالله سعيد القحطاني"),
                ("national_id", id_number),
                ("birth_date", "1985-03-14"),
                ("mobile", "0501234567"),
                ("city", "الرهاة"),
                ("district", "الحي الشمالي"),
            ],
        ),
        ("household", vec![("household_members", "6"), ("monthly_income", "3000"), ("housing", "rented")]),
        ("support", vec![("support_kind", "food_basket"), ("description", "نحتاج إلى سلة غذائية.")]),
        ("documents", vec![]),
    ];
    for (step, fields) in steps {
        let mut args = vec![("step", step), ("go", "next")];
        args.extend(fields);
        assert_eq!(browser.call("requests/save_step", &args).await.0, 200);
    }
    let args = [
        ("step", "declaration"),
        ("go", "submit"),
        ("declaration_accepted", "on"),
        ("signature", "محمد عبدالله سعيد القحطاني"),
        ("consent_sms", "on"),
    ];
    let (_, body) = browser.call("requests/save_step", &args).await;
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn submitted(browser: &Browser, id_number: &str) -> i64 {
    match submit_request(browser, id_number).await {
        StepOutcome::Submitted { id, .. } => id,
        other => panic!("{other:?}"),
    }
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

async fn documents_of(app: &TestApp, request: i64) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM documents WHERE request_id = $1")
        .bind(request)
        .fetch_one(app.database.pool())
        .await
        .expect("count")
        .get("n")
}

#[tokio::test]
async fn an_asked_id_lifts_the_document_cap_only_for_its_own_request() {
    let app = spawn_app().await;
    let mobile = "0506667788";
    let mine = submitted_request(&app, mobile, "103030303").await;
    let other = submitted_request(&app, "0506667799", "104040404").await;
    let now = awn_storage::now_unix_seconds();
    let foreign = awn_storage::testing::ask_for_document(&app.database, other, "صورة الهوية", "staff:1", now)
        .await
        .expect("asked");
    let own = awn_storage::testing::ask_for_document(&app.database, mine, "صورة الهوية", "staff:1", now)
        .await
        .expect("asked");
    let browser = app.signed_in(mobile).await;
    let action = format!("/uploads/requests/{mine}");
    let cap = awn_domain::documents::MAX_DOCUMENTS_PER_REQUEST as i64;
    while documents_of(&app, mine).await < cap {
        browser.upload(&action, "a.png", PNG.to_vec(), None).await;
    }
    // Another request's asked id (and a made-up one) does not lift the cap.
    browser.upload(&action, "a.png", PNG.to_vec(), Some(foreign)).await;
    browser.upload(&action, "a.png", PNG.to_vec(), Some(foreign + 1000)).await;
    assert_eq!(documents_of(&app, mine).await, cap);
    let fulfilled: Option<i64> = sqlx::query_scalar("SELECT fulfilled_at FROM document_requests WHERE id = $1")
        .bind(foreign)
        .fetch_one(app.database.pool())
        .await
        .expect("the other request's ask");
    assert_eq!(fulfilled, None, "untouched");
    // This request's own waiting ask is always answered, once.
    browser.upload(&action, "a.png", PNG.to_vec(), Some(own)).await;
    assert_eq!(documents_of(&app, mine).await, cap + 1);
    browser.upload(&action, "a.png", PNG.to_vec(), Some(own)).await;
    assert_eq!(documents_of(&app, mine).await, cap + 1, "an answered ask lifts nothing");
}

#[tokio::test]
async fn csv_cells_a_spreadsheet_would_run_are_neutralised() {
    let app = spawn_app().await;
    let formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
    sqlx::query("UPDATE support_kinds SET name_ar = $1 WHERE code = 'food_basket'")
        .bind(formula)
        .execute(app.database.pool())
        .await
        .expect("a kind's name");
    submitted_request(&app, "0559990002", "109900330").await;
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let (status, _, csv) = admin.download("/staff/reports/requests.csv").await;
    assert_eq!(status, 200);
    let text = String::from_utf8(csv).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|record| record.expect("a record").iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    assert!(cells.iter().any(|cell| cell == &format!("'{formula}")), "{text}");
    assert!(cells.iter().all(|cell| !cell.starts_with(['=', '+', '-', '@'])), "{text}");
    // The workbook keeps the text as a string cell, never a formula.
    let (status, _, xlsx) = admin.download("/staff/reports/requests.xlsx").await;
    assert_eq!(status, 200);
    let sheet = zip_entry(&xlsx, "xl/worksheets/sheet1.xml").expect("the sheet");
    assert!(!sheet.contains("<f>") && !sheet.contains("<f "), "{sheet}");
    let strings = zip_entry(&xlsx, "xl/sharedStrings.xml").expect("the strings");
    assert!(strings.contains(&format!("<t>{formula}</t>")), "{strings}");
}

/// The text of a deflated (or stored) file in a zip archive, found by its local header.
fn zip_entry(archive: &[u8], name: &str) -> Option<String> {
    use std::io::Read;
    let u16_at = |at: usize| usize::from(u16::from_le_bytes([archive[at], archive[at + 1]]));
    let mut at = 0;
    while at + 30 <= archive.len() {
        if archive[at..at + 4] != [0x50, 0x4b, 0x03, 0x04] {
            at += 1;
            continue;
        }
        let (method, name_len, extra_len) = (u16_at(at + 8), u16_at(at + 26), u16_at(at + 28));
        let data = at + 30 + name_len + extra_len;
        if &archive[at + 30..at + 30 + name_len] == name.as_bytes() {
            let mut text = String::new();
            if method == 8 {
                flate2::read::DeflateDecoder::new(&archive[data..]).read_to_string(&mut text).ok()?;
            } else {
                let size = u32::from_le_bytes(archive[at + 18..at + 22].try_into().ok()?) as usize;
                text = String::from_utf8(archive[data..data + size].to_vec()).ok()?;
            }
            return Some(text);
        }
        at = data;
    }
    None
}

#[tokio::test]
async fn rating_the_service_again_reuses_the_open_invitation() {
    let app = spawn_app().await;
    survey_after_service(&app).await;
    let mobile = "0503330006";
    let request = submitted_request(&app, mobile, "100000026").await;
    deliver_service(&app, request).await;
    let beneficiary = app.signed_in(mobile).await;
    let action = format!("/requests/{request}/evaluate");
    let mut links = Vec::new();
    for _ in 0..3 {
        let (status, location) = beneficiary.post_form(&action, &format!("/requests/{request}"), &[]).await;
        assert_eq!(status, 303);
        links.push(location);
    }
    let from_page: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM survey_invitations WHERE request_id = $1 AND by_message = 0")
            .bind(request)
            .fetch_one(app.database.pool())
            .await
            .expect("count");
    assert_eq!(from_page, 1, "one invitation however often the button is pressed");
    let (_, page) = beneficiary.page(&links[2]).await;
    assert!(page.contains("ما مدى رضاك عن الخدمة؟"), "the newest link opens it");
}
