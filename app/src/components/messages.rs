//! Localized messages for errors.

use leptos::prelude::*;

use crate::{error::AppError, i18n::*};

/// The message a user sees for an error; never the technical detail.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match &error {
        AppError::NotFound => t_string!(i18n, errors.not_found).to_string(),
        AppError::Unavailable => t_string!(i18n, errors.unavailable).to_string(),
        AppError::Conflict => t_string!(i18n, errors.conflict).to_string(),
        AppError::SignInRequired | AppError::StaffSignInRequired => {
            t_string!(i18n, errors.sign_in_required).to_string()
        }
        AppError::Forbidden => t_string!(i18n, errors.forbidden).to_string(),
        AppError::PolicyNotAccepted => t_string!(i18n, errors.policy_not_accepted).to_string(),
        AppError::Transport(_) => t_string!(i18n, errors.generic).to_string(),
        AppError::TooManyRequests { retry_after_seconds } => {
            crate::limits::too_many_requests_text(i18n.get_locale(), *retry_after_seconds)
        }
    };
    view! { <p class="notice notice--error" role="alert">{text}</p> }
}
