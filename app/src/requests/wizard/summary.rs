//! The wizard step's mistakes in one place (issue 17): a summary that takes
//! focus and is announced once, each mistake a link to its field.

use awn_domain::requests::{ApplicantField, FieldError};
use leptos::prelude::*;

use crate::{i18n::*, requests::labels::problem_text};

/// The id of the element a mistake's link leads to: the field, or its group.
pub(super) fn field_anchor(field: ApplicantField) -> String {
    format!("field-{}", field.code())
}

fn field_label(i18n: leptos_i18n::I18nContext<Locale>, field: ApplicantField) -> &'static str {
    match field {
        ApplicantField::FullName => t_string!(i18n, wizard.full_name),
        ApplicantField::NationalId => t_string!(i18n, wizard.national_id),
        ApplicantField::BirthDate => t_string!(i18n, wizard.birth_date),
        ApplicantField::Mobile => t_string!(i18n, wizard.mobile),
        ApplicantField::Email => t_string!(i18n, wizard.email),
        ApplicantField::City => t_string!(i18n, wizard.city),
        ApplicantField::District => t_string!(i18n, wizard.district),
        ApplicantField::HouseholdMembers => t_string!(i18n, wizard.household_members),
        ApplicantField::MonthlyIncome => t_string!(i18n, wizard.monthly_income),
        ApplicantField::Housing => t_string!(i18n, wizard.housing),
        ApplicantField::SupportKind => t_string!(i18n, wizard.support_kind),
        ApplicantField::Description => t_string!(i18n, wizard.description),
        ApplicantField::DeclarationAccepted => t_string!(i18n, wizard.declaration_accept),
        ApplicantField::Signature => t_string!(i18n, wizard.signature),
        ApplicantField::ConsentSms => t_string!(i18n, wizard.consent_sms),
        ApplicantField::ConsentEmail => t_string!(i18n, wizard.consent_email),
    }
}

/// What to correct, above the step's form.
#[component]
pub(super) fn ErrorSummary(
    errors: Vec<FieldError>,
    /// Right after the step was sent: the summary takes focus and is read out.
    autofocus: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice notice--error error-summary" id="error-summary" role="alert" tabindex="-1" autofocus=autofocus
            aria-labelledby="error-summary-title">
            <p class="error-summary__title" id="error-summary-title">{t!(i18n, wizard.fix_errors)}</p>
            <ul class="error-summary__list">
                {errors.into_iter().map(|error| {
                    let anchor = field_anchor(error.field);
                    view! {
                        <li>
                            <a href=format!("#{anchor}")>
                                {move || field_label(i18n, error.field)} ": "
                                {move || problem_text(i18n.get_locale(), error.problem)}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
