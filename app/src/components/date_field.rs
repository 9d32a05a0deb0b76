//! A date typed in Hijri or Gregorian (issue 17), with the same day in the
//! other calendar beside it: rendered by the server from the value (so it is
//! there without JavaScript once a posted form comes back) and, once the
//! field's island is hydrated, kept up to date as the person types.

use awn_domain::{
    calendar::TypedDay,
    digits::{DigitStyle, localize_digits},
    locale::Language,
};
use leptos::{prelude::*, text_prop::TextProp};
use serde::{Deserialize, Serialize};

use super::{
    dates::day_text,
    form::{FieldError, FieldLabel, field_id},
};
use crate::{
    i18n::*,
    preferences::{language_of, locale_of, use_digit_style},
};

/// A labelled date input taking either calendar (see [`TypedDay::parse`]),
/// with [`TextField`](super::form::TextField)'s label, hint and error wiring.
#[component]
pub fn DateField(
    #[prop(into)] name: String,
    #[prop(into)] label: TextProp,
    #[prop(into, default = String::new())] value: String,
    #[prop(into, default = Signal::stored(None))] error: Signal<Option<String>>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// Distinguishes fields of the same name in several forms of one page.
    #[prop(into, default = String::new())]
    id_suffix: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style().try_get_untracked().unwrap_or_default();
    let id = field_id(&name, &id_suffix);
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let hint = localize_digits(t_string!(i18n, dates.field_hint), digits);
    let invalid = error.get_untracked().is_some();
    let input = DateInput {
        described_by: if invalid { format!("{hint_id} {error_id}") } else { hint_id.clone() },
        id,
        name,
        value,
        autocomplete: autocomplete.unwrap_or_default().to_owned(),
        required,
        invalid,
        language: language_of(i18n.get_locale()),
        digits,
    };
    view! {
        <div class="field date-field" class:field--invalid=invalid>
            <FieldLabel for_id=input.id.clone() label required/>
            <p class="field__hint" id=hint_id>{hint}</p>
            <DateFieldInput input/>
            <FieldError id=error_id error/>
        </div>
    }
}

/// What the date's input is rendered with, on the server and again in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateInput {
    id: String,
    name: String,
    value: String,
    /// Empty for none.
    autocomplete: String,
    required: bool,
    invalid: bool,
    /// The hint's and the error's ids; the other day's is added while it shows.
    described_by: String,
    language: Language,
    digits: DigitStyle,
}

/// The input and the same day in the other calendar beside it: an island, so
/// the other day follows what is typed once the bundle is there.
#[island]
fn DateFieldInput(input: DateInput) -> impl IntoView {
    let DateInput { id, name, value, autocomplete, required, invalid, described_by, language, digits } = input;
    let other_id = format!("{id}-other");
    let typed = RwSignal::new(value.clone());
    // A person on a slow phone may type before the bundle is there: once the
    // island runs, it starts from what the input holds, not from the server's value.
    let input_ref = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input_ref.get() {
            typed.set(input.value());
        }
    });
    // Nothing until the text reads as a day: no complaint halfway through typing.
    let other = Memo::new(move |_| {
        let (calendar, day) = typed.with(|text| TypedDay::parse(text)).ok()?.other()?;
        let locale = locale_of(language);
        let date = day_text(locale, day, calendar, digits);
        Some(td_string!(locale, dates.field_same_day, date = date).to_string())
    });
    let described_by = {
        let other_id = other_id.clone();
        move || if other.with(Option::is_some) { format!("{described_by} {other_id}") } else { described_by.clone() }
    };
    view! {
        <div class="date-field__row">
            <input
                node_ref=input_ref
                class="field__input"
                id=id
                name=name
                type="text"
                // A decimal pad has digits and a separator on every phone.
                inputmode="decimal"
                value=value
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                dir="ltr"
                required=required
                maxlength=32
                aria-invalid=invalid.then_some("true")
                aria-describedby=described_by
                on:input=move |event| typed.set(event_target_value(&event))
            />
            <p class="date-field__other" id=other_id aria-live="polite">{move || other.get()}</p>
        </div>
    }
}
