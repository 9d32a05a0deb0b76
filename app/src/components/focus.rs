//! Where focus goes when the page changes under the person (issue 17): an
//! in-page link (the skip link, an error summary's links) moves focus to what
//! it points at, as the browser would without JavaScript (the router only
//! changes the address), and a new wizard step or its mistakes take focus so
//! a screen reader says them.

use leptos::ev::MouseEvent;

/// Moves focus to the element `id`; a group (a fieldset) gives it to its
/// first control. Whether there was such an element to focus.
#[cfg(feature = "hydrate")]
pub fn focus_by_id(id: &str) -> bool {
    use leptos::prelude::document;
    use wasm_bindgen::JsCast;
    let Some(element) = document().get_element_by_id(id) else { return false };
    let target = if element.tag_name().eq_ignore_ascii_case("fieldset") {
        element.query_selector("input, select, textarea").ok().flatten().unwrap_or(element)
    } else {
        element
    };
    match target.dyn_into::<web_sys::HtmlElement>() {
        Ok(target) => {
            target.scroll_into_view();
            target.focus().is_ok()
        }
        Err(_) => false,
    }
}

/// On the server there is no focus to move.
#[cfg(not(feature = "hydrate"))]
pub fn focus_by_id(_id: &str) -> bool {
    false
}

/// [`focus_by_id`] once the page has drawn what was just rendered (an effect
/// runs before a new view is in the document).
pub fn focus_soon(id: &'static str) {
    #[cfg(feature = "hydrate")]
    leptos::prelude::request_animation_frame(move || {
        focus_by_id(id);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// The click of an in-page link to `#id`: focus moves there (and the router
/// is kept out of it); without the element, the link does what links do.
pub fn follow_anchor(id: String) -> impl Fn(MouseEvent) + Clone + 'static {
    move |event: MouseEvent| {
        if focus_by_id(&id) {
            event.prevent_default();
        }
    }
}

/// Provided by a form with an error summary: its fields' problems are read
/// with the field, not announced one by one on top of the summary.
#[derive(Clone, Copy, Debug)]
pub struct QuietFieldErrors;
