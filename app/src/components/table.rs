//! The frame of a wide table.

use leptos::{prelude::*, text_prop::TextProp};

/// Scrolls a table sideways inside the page (never the page itself, at any text
/// size) and lets a keyboard reach and scroll it: a focusable region named
/// after what the table shows.
#[component]
pub fn TableScroll(#[prop(into)] label: TextProp, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=move || label.get()>
            {children()}
        </div>
    }
}
