//! A date typed in Hijri or Gregorian (issue 17), with the same day in the
//! other calendar beside it: rendered by the server from the value (so it is
//! there without JavaScript once a posted form comes back) and, once the page
//! is hydrated, kept up to date as the person types.

use awn_domain::{calendar::TypedDay, digits::localize_digits};
use leptos::{prelude::*, text_prop::TextProp};

use super::{
    dates::day_text,
    form::{FieldError, FieldLabel, field_id, kept_value},
};
use crate::{i18n::*, preferences::use_digit_style};

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
    let digits = use_digit_style();
    let id = field_id(&name, &id_suffix);
    let (hint_id, error_id, other_id) = (format!("{id}-hint"), format!("{id}-error"), format!("{id}-other"));
    let typed = RwSignal::new(value.clone());
    let shown = kept_value(&value);
    // Nothing until the text reads as a day: no complaint halfway through typing.
    let other = Memo::new(move |_| {
        let (calendar, day) = typed.with(|text| TypedDay::parse(text)).ok()?.other()?;
        let date = day_text(i18n, day, calendar, digits.try_get().unwrap_or_default());
        Some(t_string!(i18n, dates.field_same_day, date = date).to_string())
    });
    let described_by = {
        let (hint_id, error_id, other_id) = (hint_id.clone(), error_id.clone(), other_id.clone());
        move || {
            let mut ids = vec![hint_id.clone()];
            if other.with(Option::is_some) {
                ids.push(other_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    let hint = move || localize_digits(t_string!(i18n, dates.field_hint), digits.try_get().unwrap_or_default());
    view! {
        <div class="field date-field" class:field--invalid=move || error.get().is_some()>
            <FieldLabel for_id=id.clone() label required/>
            <p class="field__hint" id=hint_id>{hint}</p>
            <div class="date-field__row">
                <input
                    class="field__input"
                    id=id
                    name=name
                    type="text"
                    // A decimal pad has digits and a separator on every phone.
                    inputmode="decimal"
                    value=value
                    prop:value=shown
                    autocomplete=autocomplete
                    dir="ltr"
                    required=required
                    maxlength=32
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=described_by
                    on:input=move |event| typed.set(event_target_value(&event))
                />
                <p class="date-field__other" id=other_id aria-live="polite">{move || other.get()}</p>
            </div>
            <FieldError id=error_id error/>
        </div>
    }
}
