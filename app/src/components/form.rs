//! Form fields that show their label, hint and problem together, linked for
//! screen readers, and keep what the person typed.

use awn_domain::digits::localize_digits;
use leptos::{prelude::*, text_prop::TextProp};

use crate::preferences::use_digit_style;

/// A labelled text input. `error` is the localized problem, if any.
#[component]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: TextProp,
    #[prop(into, default = String::new())] value: String,
    #[prop(into, default = Signal::stored(None))] error: Signal<Option<String>>,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// "ltr" for numbers, phone numbers and email in an Arabic page.
    #[prop(optional)]
    dir: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<u32>,
    /// Distinguishes fields of the same name in several forms of one page.
    #[prop(into, default = String::new())]
    id_suffix: String,
) -> impl IntoView {
    let id = field_id(&name, &id_suffix);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_hint = hint.is_some();
    // Numbers in hints follow the visitor's digit choice like every other number.
    let digits = use_digit_style();
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <FieldLabel for_id=id.clone() label required/>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id.clone()>{move || localize_digits(&hint.get(), digits.try_get().unwrap_or_default())}</p> })}
            <input
                class="field__input"
                id=id.clone()
                name=name
                type=input_type
                value=value
                inputmode=inputmode
                autocomplete=autocomplete
                dir=dir
                required=required
                maxlength=maxlength
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            />
            <FieldError id=error_id error/>
        </div>
    }
}

/// The id of field `name` (`id_suffix` tells apart fields of one name in
/// several forms of a page); its hint and error ids add `-hint`, `-error`.
pub(super) fn field_id(name: &str, id_suffix: &str) -> String {
    if id_suffix.is_empty() { format!("field-{name}") } else { format!("field-{name}-{id_suffix}") }
}

/// A field's label, with a star after it when the field is required.
#[component]
pub fn FieldLabel(#[prop(into)] for_id: String, #[prop(into)] label: TextProp, required: bool) -> impl IntoView {
    view! {
        <span class="field__label-line">
            <label class="field__label" for=for_id>{move || label.get()}</label>
            <RequiredMark required/>
        </span>
    }
}

/// The star after a required field's label (outside the `<label>`, so it is not
/// part of the field's name). Screen readers hear "required" from the input's own
/// `required`; the star is for the eye (the form says what it means).
#[component]
pub fn RequiredMark(required: bool) -> impl IntoView {
    required.then(|| view! { <span class="field__required" aria-hidden="true">"*"</span> })
}

/// The problem under a field, announced when it appears (unless the form's
/// error summary announces them all: [`QuietFieldErrors`](super::focus::QuietFieldErrors)).
#[component]
pub fn FieldError(#[prop(into)] id: String, error: Signal<Option<String>>) -> impl IntoView {
    let digits = use_digit_style();
    let role = use_context::<super::focus::QuietFieldErrors>().is_none().then_some("alert");
    move || {
        error.get().map(|text| {
            view! { <p class="field__error" id=id.clone() role=role>{localize_digits(&text, digits.try_get().unwrap_or_default())}</p> }
        })
    }
}

/// A labelled multi-line text, keeping what was typed (`value`).
#[component]
pub fn TextAreaField(
    #[prop(into)] name: String,
    #[prop(into)] label: TextProp,
    #[prop(into, default = String::new())] value: String,
    #[prop(into, default = Signal::stored(None))] error: Signal<Option<String>>,
    /// Distinguishes fields of the same name in several forms of one page.
    #[prop(into, default = String::new())]
    id_suffix: String,
    #[prop(optional)] required: bool,
    #[prop(default = 3)] rows: u32,
) -> impl IntoView {
    let id = field_id(&name, &id_suffix);
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <FieldLabel for_id=id.clone() label required/>
            <TextArea
                id=id.clone()
                name=name
                value=value
                rows=rows
                required=required
                invalid=Signal::derive(move || error.get().is_some())
                described_by={let error_id = error_id.clone(); Signal::derive(move || error.get().is_some().then(|| error_id.clone()))}
            />
            <FieldError id=error_id error/>
        </div>
    }
}

/// The one `<textarea>` every form uses, bare (its label and problem are the
/// caller's). Leptos writes a textarea's children unescaped on the server (a
/// raw-text element to it), so a stored `</textarea><form …>` would become live
/// markup. The text therefore goes in escaped, as `inner_html`: the browser
/// decodes it back to the typed text when it parses the page.
#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(into, default = String::new())] value: String,
    #[prop(optional, into)] id: Option<String>,
    #[prop(default = 3)] rows: u32,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] required: bool,
    /// For a textarea without a `<label for>` (e.g. a survey question's legend).
    #[prop(optional, into)]
    aria_label: Option<String>,
    #[prop(into, default = Signal::stored(false))] invalid: Signal<bool>,
    #[prop(into, default = Signal::stored(None))] described_by: Signal<Option<String>>,
) -> impl IntoView {
    let escaped = crate::html::escape(&value);
    view! {
        <textarea
            class="field__input"
            id=id
            name=name
            rows=rows
            maxlength=maxlength
            required=required
            aria-label=aria_label
            aria-invalid=move || invalid.get().then_some("true")
            aria-describedby=move || described_by.get()
            inner_html=escaped
        ></textarea>
    }
}

/// A labelled choice among `options` (value, text), with a first empty option
/// saying what to choose, keeping the choice made (`selected`) and showing its problem.
#[component]
pub fn SelectField(
    #[prop(into)] name: String,
    /// The element id; the error's id is `{id}-error`.
    #[prop(into)]
    id: String,
    #[prop(into)] label: TextProp,
    #[prop(into)] placeholder: TextProp,
    options: Vec<(String, String)>,
    #[prop(into, default = String::new())] selected: String,
    #[prop(into, default = Signal::stored(None))] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id.clone()>{move || label.get()}</label>
            <select
                class="field__input"
                id=id.clone()
                name=name
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby={let error_id = error_id.clone(); move || error.get().is_some().then(|| error_id.clone())}
            >
                <option value="">{move || placeholder.get()}</option>
                {options.into_iter().map(|(value, text)| {
                    let chosen = value == selected;
                    view! { <option value=value selected=chosen>{text}</option> }
                }).collect_view()}
            </select>
            <FieldError id=error_id error/>
        </div>
    }
}
