use crate::helpers::spawn_app;

#[tokio::test]
async fn the_language_link_sets_the_cookie_and_returns() {
    let app = spawn_app().await;
    let response = app.get("/preferences/language/en?next=%2Fprivacy").await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/privacy");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("awn_lang=en;"), "{cookie}");
    assert!(cookie.contains("Path=/") && cookie.contains("SameSite=Lax"), "{cookie}");
}

#[tokio::test]
async fn the_digit_link_sets_the_cookie() {
    let app = spawn_app().await;
    let response = app.get("/preferences/digits/arab?next=%2F").await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(response.headers()["set-cookie"].to_str().unwrap().starts_with("awn_digits=arab;"));
}

#[tokio::test]
async fn preference_links_never_leave_the_site() {
    let app = spawn_app().await;
    let response = app.get("/preferences/language/ar?next=https%3A%2F%2Fevil.example").await;
    assert_eq!(response.headers()["location"], "/");
    let response = app.get("/preferences/language/ar?next=%2F%2Fevil.example").await;
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn an_unknown_choice_is_refused_with_a_message() {
    let app = spawn_app().await;
    let response = app.get("/preferences/language/xx").await;
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(response.text().await.unwrap(), "هذا الاختيار غير متاح.");
    let response = app.get_with_cookie("/preferences/digits/roman", "awn_lang=en").await;
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(response.text().await.unwrap(), "This choice is not available.");
}
