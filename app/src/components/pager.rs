//! The pager under a staff list: "Page 2 of 7 · 134 items", with previous and
//! next as plain links to `?page=N` that keep the list's other filters, so it
//! works without JavaScript and a page is a link to share.

use awn_domain::{digits::localize_digits, paging::PagePosition};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use crate::{i18n::*, preferences::use_digit_style};

/// The address of page `page` of the current list: the current path and query,
/// with `page` replaced (left out for the first page).
fn page_href(path: &str, query: &leptos_router::params::ParamsMap, page: u32) -> String {
    let mut query = query.clone();
    query.remove("page");
    if page > 1 {
        query.insert("page", page.to_string());
    }
    format!("{path}{}", query.to_query_string())
}

/// Where the page sits in its list, and the links to its neighbours.
#[component]
pub fn Pager(position: PagePosition) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let query = use_query_map();
    let location = use_location();
    let href = move |page: u32| page_href(&location.pathname.get_untracked(), &query.get_untracked(), page);
    let pages = position.page_count();
    let (page, total) = (position.page.min(pages), i64::try_from(position.total).unwrap_or(i64::MAX));
    let summary = move || {
        let text = format!(
            "{} · {}",
            t_string!(i18n, pagination.page_of, page = page, pages = pages),
            t_string!(i18n, pagination.items, count = total)
        );
        localize_digits(&text, digits.try_get().unwrap_or_default())
    };
    // An empty list says so itself; it has no pages to show.
    (position.total > 0).then(|| {
        view! {
            <nav class="pager" aria-label=move || t_string!(i18n, pagination.label)>
                <p class="pager__summary">{summary}</p>
                {position.previous().map(|previous| view! {
                    <a class="button pager__link" rel="prev" href=href(previous)>{t!(i18n, pagination.previous)}</a>
                })}
                {position.next().map(|next| view! {
                    <a class="button pager__link" rel="next" href=href(next)>{t!(i18n, pagination.next)}</a>
                })}
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_link_keeps_the_filters_and_replaces_the_page() {
        let query: leptos_router::params::ParamsMap =
            [("status", "open"), ("page", "3"), ("q", "أحمد")].into_iter().collect();
        let next = page_href("/staff", &query, 4);
        assert!(next.starts_with("/staff?") && next.contains("page=4") && next.contains("status=open"), "{next}");
        assert!(!next.contains("page=3"), "{next}");
        assert!(next.contains("q=%D8%A3"), "the search is kept, encoded: {next}");
        assert_eq!(page_href("/staff/audit", &[("page", "2")].into_iter().collect(), 1), "/staff/audit");
    }
}
