//! The last step: a review of what was typed, the declaration and the consents.

use awn_domain::requests::{ApplicantField, FieldError, RequestDraft};
use leptos::prelude::*;

use super::{KindOption, fields::field_error};
use crate::{
    components::form::{FieldError as FieldErrorText, TextField},
    i18n::*,
};

#[component]
pub(super) fn DeclarationFields(draft: RequestDraft, errors: Vec<FieldError>, kinds: Vec<KindOption>) -> impl IntoView {
    let i18n = use_i18n();
    let kind_name = kinds.iter().find(|k| k.code == draft.support_kind).map(|k| k.name.clone()).unwrap_or_default();
    let summary = [
        (t_string!(i18n, wizard.full_name), draft.full_name.clone()),
        (t_string!(i18n, wizard.national_id), draft.national_id.clone()),
        (t_string!(i18n, wizard.mobile), draft.mobile.clone()),
        (t_string!(i18n, wizard.city), format!("{} / {}", draft.city, draft.district)),
        (t_string!(i18n, wizard.household_members), draft.household_members.clone()),
        (t_string!(i18n, wizard.monthly_income), draft.monthly_income.clone()),
        (t_string!(i18n, wizard.support_kind), kind_name),
    ];
    view! {
        <h3>{t!(i18n, wizard.review_title)}</h3>
        <dl class="summary">
            {summary
                .into_iter()
                .map(|(label, value)| view! { <div class="summary__row"><dt>{label}</dt><dd><bdi>{value}</bdi></dd></div> })
                .collect_view()}
        </dl>
        <button class="button button--link" type="submit" name="go" value="to:applicant" formnovalidate=true>
            {t!(i18n, wizard.edit_data)}
        </button>
        <DeclarationAndConsents draft errors/>
    }
}

/// The declaration (A12) signed by typing the full name, and the two separate
/// opt-in consents (B9): the same words online and at a staff intake.
#[component]
pub(crate) fn DeclarationAndConsents(draft: RequestDraft, errors: Vec<FieldError>) -> impl IntoView {
    let i18n = use_i18n();
    let accepted_error = field_error(i18n, &errors, ApplicantField::DeclarationAccepted);
    view! {
        <h3>{t!(i18n, wizard.declaration_title)}</h3>
        <p class="declaration-text">{t!(i18n, wizard.declaration_text)}</p>
        <div class="field" class:field--invalid=move || accepted_error.get().is_some()>
            <div class="choice">
                <input
                    type="checkbox"
                    id="field-declaration_accepted"
                    name=ApplicantField::DeclarationAccepted.code()
                    value="on"
                    checked=draft.declaration_accepted
                    aria-describedby=move || accepted_error.get().is_some().then_some("field-declaration_accepted-error")
                />
                <label for="field-declaration_accepted">{t!(i18n, wizard.declaration_accept)}</label>
            </div>
            <FieldErrorText id="field-declaration_accepted-error" error=accepted_error/>
        </div>
        <TextField
            name=ApplicantField::Signature.code()
            label=move || t_string!(i18n, wizard.signature)
            hint=move || t_string!(i18n, wizard.signature_hint)
            value=draft.signature
            error=field_error(i18n, &errors, ApplicantField::Signature)
            autocomplete="off"
            required=true
        />
        <fieldset class="field choice-group">
            <legend class="field__label">{t!(i18n, wizard.consents_title)}</legend>
            <p class="field__hint">{t!(i18n, wizard.consents_hint)}</p>
            <div class="choice">
                <input type="checkbox" id="field-consent_sms" name=ApplicantField::ConsentSms.code() value="on" checked=draft.consent_sms/>
                <label for="field-consent_sms">{t!(i18n, wizard.consent_sms)}</label>
            </div>
            <div class="choice">
                <input
                    type="checkbox"
                    id="field-consent_email"
                    name=ApplicantField::ConsentEmail.code()
                    value="on"
                    checked=draft.consent_email
                />
                <label for="field-consent_email">{t!(i18n, wizard.consent_email)}</label>
            </div>
        </fieldset>
    }
}
