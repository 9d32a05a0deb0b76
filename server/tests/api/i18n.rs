use crate::helpers::{html_lang_dir, readable, spawn_app, spawn_app_with};
use awn_domain::locale::Language;

#[tokio::test]
async fn arabic_is_the_default_and_right_to_left() {
    let app = spawn_app().await;
    // Even a browser that prefers English gets Arabic until the visitor chooses.
    let response = app.client.get(app.url("/")).header("accept-language", "en-US,en;q=0.9").send().await.unwrap();
    let body = readable(&response.text().await.unwrap());
    assert_eq!(html_lang_dir(&body), ("ar".into(), "rtl".into()));
    assert!(body.contains("خدمات المستفيدين"));
}

#[tokio::test]
async fn the_language_cookie_switches_to_english_left_to_right() {
    let app = spawn_app().await;
    let body = app.page_with_cookie("/", "awn_lang=en").await;
    assert_eq!(html_lang_dir(&body), ("en".into(), "ltr".into()));
    assert!(body.contains("Beneficiary services"));
    assert!(body.contains("within 14 days"));
    assert!(body.contains("Food basket"), "support kinds are shown in English");
}

#[tokio::test]
async fn the_default_language_is_a_setting() {
    let app = spawn_app_with(|s| s.default_locale = Language::English).await;
    let body = readable(&app.get("/").await.text().await.unwrap());
    assert_eq!(html_lang_dir(&body), ("en".into(), "ltr".into()));
}

/// Arabic has six plural forms; the decision period uses the right one.
#[tokio::test]
async fn arabic_plural_forms_follow_the_number() {
    for (days, expected) in [
        (1, "خلال يوم واحد"),
        (2, "خلال يومين"),
        (3, "خلال 3 أيام"),
        (10, "خلال 10 أيام"),
        (14, "خلال 14 يومًا"),
        (100, "خلال 100 يوم"),
    ] {
        let app = spawn_app_with(|s| s.decision_period_days = days).await;
        let body = readable(&app.get("/").await.text().await.unwrap());
        assert!(body.contains(expected), "{days} days: expected «{expected}»");
    }
}

#[tokio::test]
async fn english_plural_forms_follow_the_number() {
    let app = spawn_app_with(|s| s.decision_period_days = 1).await;
    let body = app.page_with_cookie("/", "awn_lang=en").await;
    assert!(body.contains("within 1 day,"));
}

#[tokio::test]
async fn digits_are_western_by_default_and_arabic_indic_by_choice() {
    let app = spawn_app().await;
    let body = readable(&app.get("/").await.text().await.unwrap());
    assert!(body.contains("خلال 14 يومًا"));
    let body = app.page_with_cookie("/", "awn_digits=arab").await;
    assert!(body.contains("خلال ١٤ يومًا"));
}
