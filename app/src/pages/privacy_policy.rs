//! The published privacy policy (requirement B5): the version in force, its number
//! and date, and every earlier version, still readable.

use awn_domain::{digits::localize_digits, locale::Language};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::{
    components::{dates::DualDateText, messages::ErrorMessage},
    error::AppError,
    i18n::*,
    pages::not_found::set_response_status,
    preferences::{language_of, use_digit_style},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersionSummary {
    pub version: String,
    pub published_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyPolicyView {
    pub version: String,
    pub published_at: i64,
    /// Rendered on the server from the stored Markdown.
    pub body_html: String,
    pub is_current: bool,
    /// Newest first; the first is the version in force.
    pub versions: Vec<PolicyVersionSummary>,
}

/// The policy in force, or the version asked for.
#[server(endpoint = "privacy_policy")]
pub async fn privacy_policy(language: Language, version: Option<String>) -> Result<PrivacyPolicyView, AppError> {
    let context = crate::state::app_context()?;
    let crate::application::policy::ShownPolicy { shown, is_current, versions } =
        crate::application::policy::published(&context.database, version.as_deref()).await?;
    Ok(PrivacyPolicyView {
        version: shown.version.clone(),
        published_at: shown.published_at,
        body_html: ssr::markdown_to_html(shown.body(language)),
        is_current,
        versions,
    })
}

#[cfg(feature = "ssr")]
mod ssr {
    use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd, html};

    /// Renders policy Markdown. Raw HTML in the source is shown as text, never run;
    /// a link or image whose address is not http(s), mailto or a path on this site
    /// (e.g. `javascript:`, `data:`) is dropped and its text kept as plain text.
    pub fn markdown_to_html(markdown: &str) -> String {
        // Whether each open link or image was kept, so its end goes with it.
        let mut kept: Vec<bool> = Vec::new();
        let events = Parser::new(markdown).filter_map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
            Event::Start(Tag::Link { link_type, ref dest_url, .. } | Tag::Image { link_type, ref dest_url, .. }) => {
                let keep = link_type == LinkType::Email || is_safe_address(dest_url);
                kept.push(keep);
                keep.then_some(event)
            }
            Event::End(TagEnd::Link | TagEnd::Image) => kept.pop().unwrap_or(false).then_some(event),
            other => Some(other),
        });
        let mut out = String::with_capacity(markdown.len() * 3 / 2);
        html::push_html(&mut out, events);
        out
    }

    /// http(s) and mailto addresses, a path on this site, or a place in the page.
    fn is_safe_address(address: &str) -> bool {
        let address = address.trim();
        let lower = address.to_ascii_lowercase();
        let mut chars = address.chars();
        match chars.next() {
            // "//host" and "/\host" leave the site.
            Some('/') => !matches!(chars.next(), Some('/' | '\\')),
            Some('#') => true,
            _ => ["http://", "https://", "mailto:"].iter().any(|scheme| lower.starts_with(scheme)),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::markdown_to_html;

        #[test]
        fn raw_html_is_escaped() {
            let html = markdown_to_html("## T\n<script>alert(1)</script>\n\nA <b onclick=x>b</b>");
            assert!(html.contains("<h2>T</h2>"));
            assert!(!html.contains("<script>"));
            assert!(!html.contains("<b "));
            assert!(html.contains("&lt;script&gt;"));
        }

        #[test]
        fn only_web_mail_and_site_links_are_kept() {
            let html = markdown_to_html(
                "[a](https://example.org) [b](http://example.org) [c](mailto:dpo@example.org) [d](/privacy) \
                 <dpo@example.org> [e](#top)",
            );
            for href in ["https://example.org", "http://example.org", "mailto:dpo@example.org", "/privacy", "#top"] {
                assert!(html.contains(&format!("href=\"{href}\"")), "{href} kept: {html}");
            }
            assert!(html.contains("mailto:dpo@example.org\">dpo@example.org"), "{html}");
        }

        #[test]
        fn script_and_data_links_become_text() {
            let html = markdown_to_html(
                "[one](javascript:alert(1)) [two](JavaScript:alert(1)) [three](data:text/html,x) \
                 [four](//evil.example) [five](/\\evil.example) <javascript:alert(1)> ![six](data:image/svg+xml,x) \
                 [seven]\n\n[seven]: vbscript:x",
            );
            for word in ["one", "two", "three", "four", "five", "six", "seven"] {
                assert!(html.contains(word), "{word} kept as text: {html}");
            }
            assert!(!html.contains("<a"), "{html}");
            assert!(!html.contains("<img"), "{html}");
            assert!(!html.to_ascii_lowercase().contains("href=\"javascript"), "{html}");
        }
    }
}

#[component]
pub fn PrivacyPolicyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let policy = Resource::new(
        move || (language_of(i18n.get_locale()), params.read().get("version")),
        |(language, version)| privacy_policy(language, version),
    );

    view! {
        <Title text=t_string!(i18n, privacy.title).to_string()/>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match policy.await {
                    Ok(policy) => view! { <PolicyDocument policy/> }.into_any(),
                    Err(AppError::NotFound) => {
                        set_response_status(404);
                        view! {
                            <section class="card">
                                <h1>{t!(i18n, privacy.title)}</h1>
                                <p class="notice">{t!(i18n, privacy.not_found)}</p>
                                <a class="button" href="/privacy">{t!(i18n, privacy.view_current)}</a>
                            </section>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PolicyDocument(policy: PrivacyPolicyView) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let label = policy.version.clone();
    let version_text = move || localize_digits(&label, digits.try_get().unwrap_or_default());
    let current_version = policy.versions.first().map(|v| v.version.clone());

    view! {
        <article class="card policy" aria-labelledby="policy-title">
            <header class="policy__header">
                <h1 id="policy-title">{t!(i18n, privacy.title)}</h1>
                <p class="policy__meta">
                    <span class="policy__version" data-version=policy.version.clone()>
                        {t!(i18n, privacy.version, version = version_text)}
                    </span>
                    " · "
                    <span>{t!(i18n, privacy.published_on)} " "</span>
                    <DualDateText unix_seconds=policy.published_at/>
                </p>
                <Show when=move || !policy.is_current>
                    <p class="notice" role="status">
                        {t!(i18n, privacy.viewing_old)} " "
                        <a href="/privacy">{t!(i18n, privacy.view_current)}</a>
                    </p>
                </Show>
            </header>
            <div class="policy__body prose" inner_html=policy.body_html></div>
        </article>
        <section class="card" aria-labelledby="versions-title">
            <h2 id="versions-title">{t!(i18n, privacy.versions_title)}</h2>
            <ul class="version-list">
                {policy
                    .versions
                    .into_iter()
                    .map(|v| {
                        let is_current = Some(&v.version) == current_version.as_ref();
                        let href = if is_current {
                            "/privacy".to_string()
                        } else {
                            format!("/privacy/{}", v.version)
                        };
                        let label = v.version.clone();
                        view! {
                            <li>
                                <a href=href>
                                    {t!(i18n, privacy.version, version = move || localize_digits(&label, digits.try_get().unwrap_or_default()))}
                                </a>
                                " — "
                                <DualDateText unix_seconds=v.published_at/>
                                <Show when=move || is_current>
                                    " " <span class="badge">{t!(i18n, privacy.current)}</span>
                                </Show>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
