//! Where focus goes when the page changes under the person (issue 17), without
//! a script: an in-page link (the skip link, an error summary's links) is the
//! browser's own, which moves focus to what it points at; a new wizard step or
//! its mistakes take focus with `autofocus` so a screen reader says them.

/// Provided by a form with an error summary: its fields' problems are read
/// with the field, not announced one by one on top of the summary.
#[derive(Clone, Copy, Debug)]
pub struct QuietFieldErrors;
