//! Birth dates typed in Hijri or Gregorian (issue 17), over HTTP: a Hijri day
//! in Arabic-Indic digits is kept as its Gregorian day, the form shows both
//! calendars when it comes back without JavaScript, and a day the Hijri month
//! does not have is refused in words (never a server error).

use app::requests::wizard::StepOutcome;
use awn_domain::requests::FieldProblem;

use crate::{
    helpers::{Browser, national_id, spawn_app},
    households::apply,
};

/// 25 Dhu al-Hijjah 1410 (Umm al-Qura) is 18 July 1990.
const HIJRI_TYPED: &str = "١٤١٠/١٢/٢٥";
const GREGORIAN_ISO: &str = "1990-07-18";
/// Shawwal 1445 has 29 days.
const NO_SUCH_DAY: &str = "1445/10/30";

/// The birth dates of `request` as its tracking page lists them (the stored
/// values are encrypted at rest): the applicant's from the data export.
async fn birth_dates(beneficiary: &Browser, request: i64) -> (String, String) {
    let (_, _, export) = beneficiary.download("/my-data/export.json").await;
    let (_, page) = beneficiary.page(&format!("/requests/{request}")).await;
    (String::from_utf8_lossy(&export).into_owned(), page)
}

#[tokio::test]
async fn a_birth_date_typed_in_hijri_is_kept_as_its_gregorian_day() {
    let app = spawn_app().await;
    // The applicant's in Hijri, year first; a member's in Hijri, day first.
    let member = [
        ("members[0][full_name]", "خالد سعد علي الغامدي"),
        ("members[0][relation]", "son"),
        ("members[0][birth_date]", "٢٥-١٢-١٤١٠"),
    ];
    let (beneficiary, request) =
        apply(&app, "0501110021", "فاطمة علي سعيد الغامدي", &national_id("100000791"), HIJRI_TYPED, &member).await;
    let (export, page) = birth_dates(&beneficiary, request).await;
    assert!(export.contains(&format!("\"birth_date\": \"{GREGORIAN_ISO}\"")), "{export}");
    assert!(page.contains(&format!("<dd><bdi dir=\"ltr\">{GREGORIAN_ISO}</bdi></dd>")), "the member's: {page}");

    // Corrected later from the tracking page, again in Hijri.
    let args = [
        ("request", request.to_string()),
        ("op", "add".into()),
        ("full_name", "نورة سعد علي الغامدي".into()),
        ("relation", "daughter".into()),
        ("birth_date", "1420/9/1".into()),
        ("has_income", "no".into()),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = beneficiary.call("requests/household", &args).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    // 1 Ramadan 1420 is 9 December 1999.
    let (_, page) = birth_dates(&beneficiary, request).await;
    assert!(page.contains("<dd><bdi dir=\"ltr\">1999-12-09</bdi></dd>"), "{page}");
}

#[tokio::test]
async fn without_javascript_the_step_comes_back_showing_both_calendars() {
    let app = spawn_app().await;
    let browser = app.signed_in("0501110022").await;
    let (status, _) = browser
        .post_form(
            "/api/requests/save_step",
            "/requests/new",
            &[("step", "applicant"), ("go", "save"), ("birth_date", HIJRI_TYPED)],
        )
        .await;
    assert_eq!(status, 302);
    let (_, page) = browser.page("/requests/new").await;
    assert!(page.contains(&format!("value=\"{HIJRI_TYPED}\"")), "as typed: {page}");
    assert!(page.contains("يوافق 18 يوليو 1990 م"), "the Gregorian day beside it: {page}");
    assert!(page.contains("type=\"text\"") && page.contains("autocomplete=\"bday\""), "{page}");
}

#[tokio::test]
async fn a_day_the_hijri_month_does_not_have_is_refused_in_words() {
    let app = spawn_app().await;
    let browser = app.signed_in("0501110023").await;
    let (status, body) =
        browser.call("requests/save_step", &[("step", "applicant"), ("go", "next"), ("birth_date", NO_SUCH_DAY)]).await;
    assert_eq!(status, 200, "{body}");
    let outcome: StepOutcome = serde_json::from_str(&body).unwrap();
    let StepOutcome::Saved { errors, .. } = outcome else { panic!("{body}") };
    let problem = errors.iter().find(|e| e.field.code() == "birth_date").map(|e| e.problem);
    assert_eq!(problem, Some(FieldProblem::NoSuchHijriDay));

    // Without JavaScript: the words under the field, what was typed kept.
    let (status, _) = browser
        .post_form(
            "/api/requests/save_step",
            "/requests/new",
            &[("step", "applicant"), ("go", "next"), ("birth_date", NO_SUCH_DAY)],
        )
        .await;
    assert_eq!(status, 302);
    let (status, page) = browser.page("/requests/new").await;
    assert_eq!(status, 200);
    assert!(page.contains("لا يوجد هذا اليوم في التقويم الهجري (أم القرى): هذا الشهر 29 يومًا."), "{page}");
    assert!(page.contains(&format!("value=\"{NO_SUCH_DAY}\"")), "kept: {page}");
    assert!(page.contains("aria-describedby=\"field-birth_date-hint field-birth_date-error\""), "{page}");
}

/// Leptos islands (issue 16): the date field is the wizard step's one island, with
/// what it needs to show the other calendar in its props; the rest of the page and
/// a page without such a field (home, sign-in) are plain HTML, with no island to
/// hydrate, so their loader fetches no bundle.
#[tokio::test]
async fn the_date_field_is_the_pages_only_island() {
    let app = spawn_app().await;
    for path in ["/", "/sign-in", "/faq"] {
        let (status, page) = app.page(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!page.contains("<leptos-island"), "{path} has no island: {page}");
        assert!(page.contains("querySelector(\"leptos-island\")"), "{path} has the loader that checks: {page}");
    }
    let browser = app.signed_in("0501110024").await;
    let (status, page) = browser.page("/requests/new").await;
    assert_eq!(status, 200);
    assert_eq!(page.matches("<leptos-island").count(), 1, "{page}");
    let island = &page[page.find("<leptos-island").unwrap()..];
    let island = &island[..island.find("</leptos-island>").unwrap()];
    assert!(island.contains("data-component=\"DateFieldInput_"), "{island}");
    // Its props, as JSON in an attribute: the field it renders, in the page's language and digits.
    assert!(island.contains("&quot;name&quot;:&quot;birth_date&quot;"), "{island}");
    assert!(island.contains("&quot;language&quot;:&quot;Arabic&quot;"), "{island}");
    assert!(island.contains("id=\"field-birth_date\""), "the input is inside: {island}");
}
